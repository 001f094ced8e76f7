"""Codes shown as people read them: {{ finding.severity|severity_label }}, {% severity_badge finding.severity %}."""

import re

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

from frontend.labels import (
    COLOUR_LABELS,
    FACTOR_SOURCE_LABELS,
    GRADING_LABELS,
    GRID_BASIS_LABELS,
    GRID_REGIME_LABELS,
    GRID_REGION_LABELS,
    GRID_SCOPE_LABELS,
    LINE_LABELS,
    SEVERITY_CLASSES,
    SEVERITY_LABELS,
)

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

    return gettext(fuel_name(fuel_code)) if fuel_code else ""


@register.filter
def methodology_label(code: str) -> str:
    """A methodology by its title (发电设施（2022年修订版）), never its code."""
    from steward.carbon.methods import METHODOLOGIES

    module = METHODOLOGIES.get(code)
    return gettext(module.TITLE) if module else (code or "")


@register.filter
def grid_regime_label(regime: str) -> str:
    return str(GRID_REGIME_LABELS.get(regime, regime))


@register.filter
def grid_scope_label(scope: str) -> str:
    return str(GRID_SCOPE_LABELS.get(scope, scope))


@register.filter
def grid_region_label(region: str) -> str:
    return str(GRID_REGION_LABELS.get(region, region))


@register.filter
def grid_basis_label(basis: str) -> str:
    return str(GRID_BASIS_LABELS.get(basis, basis))


@register.filter
def factor_row_label(row_id: str) -> str:
    """A factor library row as people read it: cn:natural_gas → 国内指南缺省值 · 天然气."""
    if not row_id:
        return ""
    source, _sep, rest = row_id.partition(":")
    if source not in FACTOR_SOURCE_LABELS:
        return row_id
    if source == "grid":  # grid:<regime>:<region>:<data year>:<basis>
        parts = rest.split(":")
        year = gettext("%(year)s年") % {"year": parts[2]} if len(parts) > 2 else ""
        return " · ".join(
            part for part in (str(FACTOR_SOURCE_LABELS[source]), grid_regime_label(parts[0]), year) if part
        )
    return f"{FACTOR_SOURCE_LABELS[source]} · {fuel_label(rest)}"


LINE_KEY = re.compile(r"^(?:steel\.)?([a-z_]+)\[(\d+)\]$")


@register.filter
def item_label(item: str) -> str:
    """A finding's object: a source's own code stays (B1-COAL); a calculation line key reads as words
    (fuel[0] → 燃料燃烧 第1项)."""
    from steward.carbon.models import EmissionSource

    if item in EmissionSource.Kind.values:
        return str(EmissionSource.Kind(item).label)
    if item == "month":
        return gettext("本月")
    match = LINE_KEY.match(item or "")
    if not match or match.group(1) not in LINE_LABELS:
        return item or ""
    return gettext("%(category)s 第%(number)s项") % {
        "category": LINE_LABELS[match.group(1)],
        "number": int(match.group(2)) + 1,
    }


@register.filter
def difference_item_label(item: str) -> str:
    """What a difference between two versions is about: a source's own code stays, an output by its label."""
    from steward.carbon.models import OutputRecord

    if item == "result":
        return gettext("核算结果")
    if item in OutputRecord.Kind.values:
        return str(OutputRecord.Kind(item).label)
    return item or ""


@register.filter
def difference_field_label(field: str) -> str:
    from steward.carbon.models import MeasuredParameter

    names = {
        "quantity": gettext("活动数据"),
        "data_source": gettext("数据来源"),
        "stock": gettext("购销存"),
        "bill": gettext("电费单"),
        "value": gettext("数值"),
        "total_tco2": gettext("排放总量"),
        "direct_tco2": gettext("直接排放（履约口径）"),
        "factor_set": gettext("因子库版本"),
    }
    if field in MeasuredParameter.Name.values:
        return str(MeasuredParameter.Name(field).label)
    return names.get(field, field)


@register.filter
def grading_label(label: str) -> str:
    """A band of the carbon-efficiency code in the reader's language: 低碳 low-carbon → 低碳."""
    return str(GRADING_LABELS.get(label, label))


@register.filter
def colour_label(colour: str) -> str:
    return str(COLOUR_LABELS.get(colour, colour))


@register.filter
def methodology_version_label(version: str) -> str:
    """A methodology's version as published, with its own verification note in words (structure to_verify)."""
    return (version or "").replace("structure to_verify", gettext("结构待核实"))
