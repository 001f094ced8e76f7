"""Quantities on the compliance pages: grouped thousands and fixed decimals, the same in every language
(tonnes are read against allocation notices that print them this way)."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def tonnes(value, places: int = 2) -> str:
    if value is None or value == "":
        return "—"
    return f"{Decimal(value):,.{int(places)}f}"
