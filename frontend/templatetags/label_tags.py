"""Codes shown as people read them: {{ finding.severity|severity_label }}, {% severity_badge finding.severity %}."""

import re

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language, gettext

from frontend.labels import (
    COLOUR_LABELS,
    FACTOR_SOURCE_LABELS,
    GRADING_LABELS,
    GRID_BASIS_LABELS,
    GRID_REGIME_LABELS,
    GRID_REGION_LABELS,
    GRID_SCOPE_LABELS,
    LINE_LABELS,
    NAMED_LINE_LABELS,
    SEVERITY_CLASSES,
    SEVERITY_LABELS,
)

register = template.Library()


@register.filter
def citation(text: str) -> str:
    """A factor's source as the reader's language names it: the library cites some sources in English, which a
    Chinese page names in Chinese (reports/citations.py, as the annual report does); English pages keep them."""
    from reports.citations import zh

    return text if (get_language() or "").startswith("en") else zh(text or "")


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
    if item in NAMED_LINE_LABELS:
        return str(NAMED_LINE_LABELS[item])
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
    text = (version or "").replace("structure to_verify", gettext("结构待核实"))
    return _document_numbers(text) if _english() else text


# The calculation trace (steward/carbon/trace.py) is stored with its run in Chinese, as the record computed it;
# pages read it in the reader's language: each fixed phrase through the catalogue, names and figures as written.
DOCUMENT_NUMBER = re.compile(r"(环办气候函|环办气候|环气候)〔(\d{4})〕(\d+)号")
DOCUMENT_PREFIXES = {"环办气候函": "Huanban Qihou Han", "环办气候": "Huanban Qihou", "环气候": "Huan Qihou"}
ENTERED = re.compile(r"^录入 (\S+) (\S+)$")
BRACKETED = re.compile(r"^(.+?)（(.+)）$")


def _english() -> bool:
    from django.utils.translation import get_language

    return not (get_language() or "zh-hans").startswith("zh")


def _document_numbers(text: str) -> str:
    """环办气候函〔2022〕485号 → Huanban Qihou Han [2022] No. 485, as Chinese document numbers are cited in English."""
    return DOCUMENT_NUMBER.sub(
        lambda m: f"{DOCUMENT_PREFIXES[m.group(1)]} [{m.group(2)}] No. {m.group(3)}", text
    )


@register.filter
def trace_text(text) -> str:
    """A label, source, reason or note of the calculation trace in the reader's language: the whole phrase
    from the catalogue, else its parts ("A；规则：B", "X（Y）", "录入 850 t"), document numbers cited in pinyin;
    a name (a source's own, "1号机组入炉烟煤") stays as written."""
    text = "" if text is None else str(text)
    if not text or not _english():
        return text
    whole = gettext(text)
    if whole != text:
        return whole
    if "；" in text:
        return "; ".join(trace_text(part) for part in text.split("；"))
    entered = ENTERED.match(text)
    if entered:
        return gettext("录入 %(value)s %(unit)s") % {"value": entered.group(1), "unit": entered.group(2)}
    if "：" in text:
        head, _sep, tail = text.partition("：")
        return f"{trace_text(head)}: {trace_text(tail)}"
    bracketed = BRACKETED.match(text)
    if bracketed and gettext(bracketed.group(1)) != bracketed.group(1):
        return f"{trace_text(bracketed.group(1))} ({trace_text(bracketed.group(2))})"
    return _document_numbers(text)


@register.simple_tag
def trace_warning(warning: dict, result: dict) -> str:
    """A warning of a stored result in the reader's language, from its code and the line and input it names
    (the stored message is the Chinese record of the same)."""
    message = warning.get("message", "")
    if not _english():
        return message
    value = next(
        (
            item
            for line in result.get("lines", [])
            if line.get("key") == warning.get("line")
            for item in line.get("inputs", [])
            if item.get("name") == warning.get("parameter")
        ),
        {},
    )
    label, parameter = trace_text(warning.get("label", "")), warning.get("parameter", "")
    if warning.get("code") == "default_used" and value:
        return gettext("%(line)s：%(parameter)s 使用缺省值（%(reason)s）") % {
            "line": label,
            "parameter": parameter,
            "reason": trace_text(value.get("reason", "")),
        }
    if warning.get("code") == "unconfirmed_factor" and value:
        return gettext("%(line)s：%(parameter)s 取自待核实的因子（%(source)s）") % {
            "line": label,
            "parameter": parameter,
            "source": trace_text(value.get("source", "")),
        }
    return trace_text(message)


@register.filter
def denominator_label(name: str) -> str:
    """An intensity's denominator by its output's label (electricity_supplied → 供电量), never the code."""
    from steward.carbon.models import OutputRecord

    if name in OutputRecord.Kind.values:
        return str(OutputRecord.Kind(name).label)
    return trace_text(name)


FINDING_NOTE = re.compile(r"^([A-Z]+-[A-Z]*\d+) ([^\s：]+)：(.*)$", re.S)


@register.filter
def finding_note(comment: str) -> str:
    """A timeline entry about a finding ("DQ-T01 month：…", stored with the finding's object as a code) names
    the object as the findings table does: DQ-T01 本月：…, DQ-E01 燃料燃烧 第1项：…; other comments stay."""
    match = FINDING_NOTE.match(comment or "")
    if not match:
        return comment
    return f"{match.group(1)} {item_label(match.group(2))}：{match.group(3)}"
