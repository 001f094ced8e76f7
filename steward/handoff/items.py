"""The 存证 hand-off: a locked month's figures as the national 管理平台's monthly 信息化存证 items.

The 2026 notice requires monthly 信息化存证 within 40 natural days after the month for power, steel, cement and
aluminium through the national platform (DOMAIN.md §2.x, §1.5). Filers re-key the month there; this module
lists the platform's items for the enterprise's sector, in order (data/platform_items.csv, every row with its
source and verification status), with the values the month sealed: the sealed payload of the locked filing
and the calculation run it pinned (values.py). Nothing is read from the current (possibly corrected) records,
so the hand-off always says what the seal covers. Steel lists its process data per process step (工序) and
aluminium its anode and anode-effect data; cement one row per clinker line. Every item list is *to verify*
against the guidelines' monthly 存证 annexes and the platform's own form.
"""

from __future__ import annotations

import csv
import datetime
import functools
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from steward.compliance.scope import CAPTIVE_POWER, SECTOR_OF_INDUSTRY
from steward.filing.models import FilingStatus, MonthlyFiling
from steward.formatting import plain as plain_text
from steward.formatting import quantity
from steward.handoff.values import SealedMonth, rows_for

ITEMS_FILE = Path(__file__).with_name("data") / "platform_items.csv"
FORMAT = "carbon-steward.platform-handoff/1"
# National limit: monthly 存证 completed within 40 natural days after month end (DOMAIN.md §1.5 [V]).
DAYS_AFTER_MONTH = 40
SECTOR_NAMES = {"power": "发电", "cement": "水泥熟料生产", "steel": "钢铁生产", "aluminium": "铝冶炼"}
STATUS_NAMES = {"verified": "已核实", "to_verify": "待核实"}


class NotSealed(ValidationError):
    """The month has no locked (sealed) current version: nothing may be handed to the platform (409)."""

    http_status = 409


class OutOfScope(ValidationError):
    """The enterprise's sector is not one the national platform's monthly 存证 covers (400)."""

    http_status = 400


@dataclass(frozen=True)
class ItemSpec:
    """One row of data/platform_items.csv."""

    sector: str
    position: int
    code: str
    name: str
    unit: str
    value_from: str
    status: str
    source: str


@dataclass(frozen=True)
class Item:
    """One line of the hand-off: a platform item (for one source where the item is per source)."""

    line: int
    position: int
    code: str
    name: str
    subject: str  # the emission source the value belongs to ("" for the whole month)
    value: Decimal | None
    unit: str
    status: str
    source: str

    @property
    def plain(self) -> str:
        """The value as the platform takes it: no grouping, no exponent, no trailing zeros ("" when none)."""
        return "" if self.value is None else plain_text(self.value)

    @property
    def display(self) -> str:
        return "" if self.value is None else quantity(self.value, self.unit)

    @property
    def status_name(self) -> str:
        return STATUS_NAMES.get(self.status, self.status)


@dataclass(frozen=True)
class Handoff:
    enterprise_name: str
    credit_code: str
    sector: str
    year: int
    month: int
    filing: MonthlyFiling
    items: list[Item] = field(default_factory=list)

    @property
    def sector_name(self) -> str:
        return SECTOR_NAMES.get(self.sector, self.sector)

    @property
    def due_on(self) -> datetime.date:
        return platform_due_on(self.year, self.month)


@functools.cache
def item_specs() -> dict[str, list[ItemSpec]]:
    """sector → its items in the platform's order (as listed in data/platform_items.csv)."""
    with ITEMS_FILE.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        specs: dict[str, list[ItemSpec]] = {}
        for row in rows:
            status = "verified" if row["status"].strip() == "verified" else "to_verify"
            spec = ItemSpec(
                sector=row["sector"].strip(),
                position=int(row["position"]),
                code=row["code"].strip(),
                name=row["name_zh"].strip(),
                unit=row["unit"].strip(),
                value_from=row["value_from"].strip(),
                status=status,
                source=row["source"].strip(),
            )
            specs.setdefault(spec.sector, []).append(spec)
    return {sector: sorted(rows, key=lambda spec: spec.position) for sector, rows in specs.items()}


def platform_due_on(year: int, month: int) -> datetime.date:
    """The last day of the national platform's window: 40 natural days after the month's last day."""
    first_of_next = datetime.date(year + month // 12, month % 12 + 1, 1)
    return first_of_next - datetime.timedelta(days=1) + datetime.timedelta(days=DAYS_AFTER_MONTH)


def sector_for(enterprise) -> str:
    """The sector whose platform items apply, or OutOfScope (a market member of another industry files its
    captive power plant as power, as the compliance rules do)."""
    sector = SECTOR_OF_INDUSTRY.get(enterprise.industry_id)
    if sector is None and enterprise.in_national_carbon_market:
        sector = CAPTIVE_POWER
    if sector is None or sector not in item_specs():
        raise OutOfScope(
            _(
                "本企业所属行业不在全国碳市场月度信息化存证范围内（发电、钢铁、水泥、铝冶炼），无需导出平台填报数据。"
            ),
            code="not_in_platform_scope",
        )
    return sector


def sealed_filing(year: int, month: int, filings=None) -> MonthlyFiling:
    """The month's current version when it is locked (sealed), else NotSealed with a Chinese message.

    `filings` is the grant's visible filings (steward.filing.selectors.filings_visible_to); a month reopened
    into a new draft is not sealed any more, whatever its earlier version was."""
    rows = MonthlyFiling.objects.all() if filings is None else filings
    filing = rows.filter(year=year, month=month).order_by("-version").first()
    params = {"year": year, "month": month}
    if filing is None:
        raise NotSealed(
            _("%(year)s年%(month)s月尚未创建月度存证：审核通过并锁定后才能导出平台填报数据和证据包。"),
            code="month_not_locked",
            params=params,
        )
    if filing.status != FilingStatus.LOCKED or not filing.seal:
        raise NotSealed(
            _(
                "%(year)s年%(month)s月的存证（第%(version)s版）当前为“%(status)s”，"
                "审核通过并锁定后才能导出平台填报数据和证据包。"
            ),
            code="month_not_locked",
            params={**params, "version": filing.version, "status": filing.get_status_display()},
        )
    return filing


def build_handoff(enterprise, filing: MonthlyFiling) -> Handoff:
    """The platform items of the enterprise's sector with the values `filing` (locked) sealed."""
    sector = sector_for(enterprise)
    month = SealedMonth(filing.sealed_payload or {})
    items: list[Item] = []
    for spec in item_specs()[sector]:
        rows = rows_for(spec.value_from, month) or [("", None, spec.unit)]
        for subject, value, unit in rows:
            items.append(
                Item(
                    line=len(items) + 1,
                    position=spec.position,
                    code=spec.code,
                    name=spec.name,
                    subject=subject,
                    value=value,
                    unit=unit or spec.unit,
                    status=spec.status,
                    source=spec.source,
                )
            )
    return Handoff(
        enterprise_name=enterprise.name_zh,
        credit_code=enterprise.credit_code,
        sector=sector,
        year=filing.year,
        month=filing.month,
        filing=filing,
        items=items,
    )


def as_json(handoff: Handoff) -> dict:
    """What the filer pastes or uploads: items in order, values as plain decimal strings (never floats)."""
    filing = handoff.filing
    return {
        "format": FORMAT,
        "enterprise": {"name": handoff.enterprise_name, "credit_code": handoff.credit_code},
        "sector": handoff.sector,
        "sector_name": handoff.sector_name,
        "year": handoff.year,
        "month": handoff.month,
        "filing_version": filing.version,
        "seal": filing.seal,
        "locked_at": filing.locked_at.isoformat() if filing.locked_at else None,
        "platform_due_on": handoff.due_on.isoformat(),
        "items": [
            {
                "line": item.line,
                "position": item.position,
                "code": item.code,
                "name": item.name,
                "subject": item.subject,
                "value": item.plain or None,
                "display": item.display,
                "unit": item.unit,
                "status": item.status,
                "status_name": item.status_name,
                "source": item.source,
            }
            for item in handoff.items
        ],
    }
