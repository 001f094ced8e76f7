"""Codes shown as people read them: {{ finding.severity|severity_label }}, {% severity_badge finding.severity %}."""

from django import template
from django.utils.html import format_html

from frontend.labels import SEVERITY_CLASSES, SEVERITY_LABELS

register = template.Library()


@register.filter
def severity_label(severity: str) -> str:
    return str(SEVERITY_LABELS.get(severity, severity))


@register.simple_tag
def severity_badge(severity: str) -> str:
    """The severity as a coloured badge with its Chinese (or English) label, never the code."""
    return format_html(
        '<span class="badge {}" data-severity="{}">{}</span>',
        SEVERITY_CLASSES.get(severity, "severity-info"),
        severity,
        severity_label(severity),
    )


@register.filter
def fuel_label(fuel_code: str) -> str:
    """A fuel by its name in the factor library (烟煤, 天然气), never its code."""
    from steward.factors.shipped import fuel_name

    return fuel_name(fuel_code) if fuel_code else ""
