"""Quantities on the compliance pages: grouped thousands and fixed decimals, the same in every language
(tonnes are read against allocation notices that print them this way). The formatting is steward/formatting.py's."""

from django import template

from steward import formatting

register = template.Library()

register.filter("tonnes", formatting.tonnes)


@register.filter
def step_value(value) -> str:
    """A step's result grouped in thousands as the figures above it are (2929899.09 → 2,929,899.09); a value
    that is not a number stays as written."""
    if formatting.as_decimal(value) is None:
        return value
    return formatting.quantity(value)
