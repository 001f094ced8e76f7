"""Small display filters for the environmental pages."""

from decimal import Decimal

from django import template

from steward.pollution.pollutants import Pollutant

register = template.Library()


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key) if mapping else None


@register.filter
def tonnes(value) -> str:
    """Tonnes to three decimals (the stored value stays unrounded)."""
    if value is None:
        return "—"
    return f"{Decimal(value).quantize(Decimal('0.001')):,}"


@register.filter
def percent(value) -> str:
    return "—" if value is None else f"{Decimal(value) * 100:.1f}%"


@register.filter
def pollutant_label(code: str) -> str:
    return str(Pollutant(code).label) if code in Pollutant.values else code
