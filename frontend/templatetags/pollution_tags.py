"""Small display filters for the environmental pages."""

from django import template

from steward import formatting
from steward.pollution.pollutants import Pollutant

register = template.Library()


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key) if mapping else None


@register.filter
def tonnes(value) -> str:
    """Pollutant tonnes to three decimals (the stored value stays unrounded)."""
    return formatting.tonnes(value, 3)


register.filter("percent", formatting.percent)


@register.filter
def pollutant_label(code: str) -> str:
    return str(Pollutant(code).label) if code in Pollutant.values else code
