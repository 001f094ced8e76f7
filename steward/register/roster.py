"""The register itself from a list (名录): the statistics bureau's 规上 industrial enterprises as CSV or XLSX.

Columns: 统一社会信用代码, 企业名称, 所属区域 (code or Chinese name), 行业代码 (GB/T 4754), 规上 (是/否, optional).
Every row is checked (credit code with its GB 32100 check character, district, industry, duplicates) and the
errors reported with their line, in Chinese; a list with errors changes nothing. A clean list is upserted by
credit code (name, district, industry and 规上 follow the newest list; an enterprise missing from it stays), and
every entry whose credit code belongs to an enterprise that files here is linked to it in one statement.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from steward import events
from steward.intake.reader import open_workbook, sheet_rows
from steward.intake.safety import Refusal
from steward.register.importer import RowError, _csv_utf8, check_feed_bytes, normalise_header
from steward.register.models import RegisteredEnterprise
from tenants.credit_code import normalise, validate_credit_code
from tenants.models import Industry, Jurisdiction

HEADERS = {
    "credit_code": ("统一社会信用代码", "信用代码"),
    "name": ("企业名称", "单位名称"),
    "jurisdiction": ("所属区域", "区域", "区县", "所属区县"),
    "industry": ("行业代码", "所属行业代码", "行业"),
    "above_scale": ("规上", "规模以上", "是否规上"),
}
INDEX = {normalise_header(h): key for key, names in HEADERS.items() for h in names}
YES, NO = {"", "是", "y", "yes", "1", "true"}, {"否", "n", "no", "0", "false"}


@dataclass
class RosterReport:
    rows_read: int = 0
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    linked: int = 0


def _rows(name: str, data: bytes) -> list[tuple[int, list[object]]]:
    if check_feed_bytes(name, data) == "csv":
        reader = csv.reader(io.StringIO(_csv_utf8(data).decode("utf-8")))
        return [(number, row) for number, row in enumerate(reader, start=1) if any(c.strip() for c in row)]
    workbook = open_workbook(data)
    try:
        return [
            (number, list(cells))
            for number, cells in sheet_rows(workbook.worksheets[0])
            if any(c is not None and str(c).strip() for c in cells)
        ]
    finally:
        workbook.close()


def read_roster(name: str, data: bytes) -> tuple[RosterReport, list[RegisteredEnterprise]]:
    rows = _rows(name, data)
    if not rows:
        raise Refusal("header_missing", _("找不到表头行。"))
    _number, header = rows[0]
    positions = {INDEX[normalise_header(c)]: i for i, c in enumerate(header) if normalise_header(c) in INDEX}
    missing = [
        HEADERS[key][0] for key in ("credit_code", "name", "jurisdiction", "industry") if key not in positions
    ]
    if missing:
        raise Refusal("header_missing", _("表头缺少列：%s。") % "、".join(missing), row=1)
    districts = {}
    for jurisdiction in Jurisdiction.objects.all():
        districts[jurisdiction.code] = districts[jurisdiction.name_zh] = jurisdiction.code
    industries = set(Industry.objects.values_list("code", flat=True))
    report, entries, seen = RosterReport(), [], {}
    for number, cells in rows[1:]:
        report.rows_read += 1

        def cell(key: str, cells=cells) -> str:
            index = positions.get(key)
            value = cells[index] if index is not None and index < len(cells) else None
            return "" if value is None else str(value).strip()

        code = normalise(cell("credit_code"))
        try:
            validate_credit_code(code)
        except ValidationError as error:
            report.errors.append(RowError(number, "统一社会信用代码", f"“{code[:30]}”：{error.messages[0]}"))
            continue
        if code in seen:
            report.errors.append(RowError(number, "统一社会信用代码", _("与第 %d 行重复") % seen[code]))
            continue
        seen[code] = number
        jurisdiction = districts.get(cell("jurisdiction"))
        if jurisdiction is None:
            report.errors.append(
                RowError(number, "所属区域", _("未知的区域“%s”") % cell("jurisdiction")[:30])
            )
            continue
        industry = cell("industry")
        if industry not in industries:
            report.errors.append(RowError(number, "行业代码", _("未知的行业代码“%s”") % industry[:10]))
            continue
        name_text = cell("name")
        if not name_text:
            report.errors.append(RowError(number, "企业名称", _("缺少企业名称")))
            continue
        above = cell("above_scale").lower()
        if above not in YES | NO:
            report.errors.append(RowError(number, "规上", _("规上应填“是”或“否”")))
            continue
        entries.append(
            RegisteredEnterprise(
                credit_code=code,
                name=name_text[:120],
                jurisdiction_id=jurisdiction,
                industry_id=industry,
                is_above_scale=above in YES,
            )
        )
    return report, entries


@transaction.atomic
def import_roster(name: str, data: bytes, *, dry_run: bool = False) -> RosterReport:
    report, entries = read_roster(name, data)
    if report.errors or dry_run:
        return report
    before = {
        code: (jurisdiction, industry)
        for code, jurisdiction, industry in RegisteredEnterprise.objects.filter(
            credit_code__in=[e.credit_code for e in entries]
        ).values_list("credit_code", "jurisdiction_id", "industry_id")
    }
    existing = set(before)
    RegisteredEnterprise.objects.bulk_create(
        entries,
        batch_size=5000,
        update_conflicts=True,
        unique_fields=["credit_code"],
        update_fields=["name", "jurisdiction", "industry", "is_above_scale"],
    )
    report.updated = len(existing)
    report.created = len(entries) - len(existing)
    report.linked = link_enterprises()
    moved = sum(
        1
        for e in entries
        if e.credit_code in before and before[e.credit_code] != (e.jurisdiction_id, e.industry_id)
    )
    if moved or report.created:
        # the grading runs read the register's districts and industries: the graded years are graded again
        events.publish("register_roster.imported", None, created=report.created, moved=moved)
    return report


def link_enterprises() -> int:
    """Link every register entry to the enterprise of the same credit code that files here (one UPDATE)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """UPDATE register_registeredenterprise r SET enterprise_id = NULL
               FROM tenants_enterprise e WHERE r.enterprise_id = e.id AND e.credit_code <> r.credit_code"""
        )
        cursor.execute(
            """UPDATE register_registeredenterprise r SET enterprise_id = e.id
               FROM tenants_enterprise e
               WHERE e.credit_code = r.credit_code AND r.enterprise_id IS DISTINCT FROM e.id"""
        )
        return cursor.rowcount
