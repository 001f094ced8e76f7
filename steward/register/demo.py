"""A generated city register and a year of feeds (the demo, the bench and tests use the same generator).

Enterprises are spread over Huzhou's districts and the demo industries; their credit codes are valid (GB 32100
check character) and derived from their number, so the same call gives the same register. The enterprises that
file here (tenants.Enterprise) join the register with their own credit code and a link to their workspace.
Quantities are deterministic functions of the enterprise, month and carrier (no random state).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from decimal import Decimal

from django.db import transaction

from steward.demo.period import last_month
from steward.register.models import RegisteredEnterprise
from tenants.credit_code import ALPHABET, check_character
from tenants.models import Enterprise, Industry, Jurisdiction

SURNAMES = "浙湖安长德吴南太弁苕霅溪荻港织里新市乾元练市菱湖和孚善琏双林"
TRADES = {"3011": "建材", "1713": "印染", "1752": "染整", "2822": "化纤", "2021": "木业", "2221": "纸业"}
CARRIER_UNITS = {
    "electricity": "kWh",
    "natural_gas": "m3",
    "coal": "t",
    "diesel": "t",
    "lpg": "t",
    "heat": "GJ",
}
ENERGY_HEADER = ["统一社会信用代码", "年份", "月份", "能源品种", "数量", "单位"]
OUTPUT_HEADER = ["统一社会信用代码", "年份", "月份", "工业总产值（万元）", "工业增加值（万元）"]


def districts() -> list[str]:
    return list(
        Jurisdiction.objects.filter(parent__isnull=False).order_by("code").values_list("code", flat=True)
    )


def numbered_credit_code(number: int, division: str) -> str:
    """A valid credit code for enterprise number `number` (the 9-character organisation part encodes it)."""
    digits, rest = [], number
    for _position in range(9):
        rest, index = divmod(rest, 31)
        digits.append(ALPHABET[index])
    division_code = division if division.isdigit() else "330500"
    first_17 = f"91{division_code}" + "".join(reversed(digits))
    return first_17 + check_character(first_17)


@transaction.atomic
def load_register(count: int, *, link_enterprises: bool = True) -> int:
    """Create `count` generated enterprises (and the platform's own enterprises, linked); returns how many
    register rows exist. Enterprises already in the register are left as they are."""
    codes = districts()
    industries = [code for code in TRADES if Industry.objects.filter(code=code).exists()] or list(
        Industry.objects.values_list("code", flat=True)[:6]
    )
    existing = set(RegisteredEnterprise.objects.values_list("credit_code", flat=True))
    rows = []
    for number in range(1, count + 1):
        division = codes[number % len(codes)]
        industry = industries[(number // len(codes)) % len(industries)]
        code = numbered_credit_code(number, division)
        if code in existing:
            continue
        name = f"湖州{SURNAMES[number % len(SURNAMES)]}{SURNAMES[(number // 7) % len(SURNAMES)]}{TRADES.get(industry, '实业')}有限公司（{number:05d}）"
        rows.append(
            RegisteredEnterprise(
                credit_code=code,
                name=name,
                jurisdiction_id=division,
                industry_id=industry,
                is_above_scale=True,
            )
        )
    RegisteredEnterprise.objects.bulk_create(rows, batch_size=5000)
    if link_enterprises:
        for enterprise in Enterprise.objects.all():
            RegisteredEnterprise.objects.update_or_create(
                credit_code=enterprise.credit_code,
                defaults={
                    "name": enterprise.name_zh,
                    "jurisdiction_id": enterprise.jurisdiction_id,
                    "industry_id": enterprise.industry_id,
                    "enterprise": enterprise,
                },
            )
    return RegisteredEnterprise.objects.count()


def quantity(seed: int, month: int, carrier: str) -> Decimal:
    """A deterministic monthly quantity: a size per enterprise, a seasonal swing, a share per carrier."""
    size = 1 + (seed * 7919) % 97
    season = 100 + ((month * 37 + seed) % 21) - 10
    base = {
        "electricity": 12000,
        "natural_gas": 3000,
        "coal": 4,
        "diesel": 1,
        "lpg": 1,
        "heat": 90,
    }[carrier]
    return (Decimal(size * season * base) / 100).quantize(Decimal("0.01"))


def energy_rows(
    credit_codes: list[str], year: int, carriers: list[str], overrides: dict | None = None
) -> Iterator[list[object]]:
    """Rows of a feed; `overrides` maps (credit code, month, carrier) to a quantity of the demo's choosing."""
    overrides = overrides or {}
    for seed, code in enumerate(credit_codes, start=1):
        for month in range(1, 13):
            for carrier in carriers:
                value = overrides.get((code, month, carrier)) or quantity(seed, month, carrier)
                yield [code, year, month, carrier, value, CARRIER_UNITS[carrier]]


# Value added per 万元 of output varies by enterprise, so that their carbon efficiency (L = CO2 ÷ value added)
# spreads over the grades rather than every enterprise sitting on its industry's average.
VALUE_ADDED_SHARES = tuple(
    Decimal(share)
    for share in ("0.23", "0.55", "0.30", "0.12", "0.23", "0.40", "0.08", "0.26", "0.19", "0.33")
)


def output_rows(credit_codes: list[str], year: int) -> Iterator[list[object]]:
    for seed, code in enumerate(credit_codes, start=1):
        share = VALUE_ADDED_SHARES[(seed * 3) % len(VALUE_ADDED_SHARES)]
        for month in range(1, 13):
            value = quantity(seed, month, "electricity") / 10
            yield [code, year, month, value, (value * share).quantize(Decimal("0.01"))]


def write_csv(handle, header: list[str], rows) -> None:
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)


def feed_bytes(header: list[str], rows) -> bytes:
    buffer = io.StringIO()
    write_csv(buffer, header, rows)
    return buffer.getvalue().encode("utf-8")


FEEDS = (
    ("grid_electricity", "国网湖州供电公司", ["electricity"]),
    ("gas", "湖州市燃气企业", ["natural_gas"]),
    ("other_energy", "湖州市统计局（能源统计）", ["coal", "diesel", "lpg", "heat"]),
)


def load_demo_register(count: int = 300, *, year: int | None = None) -> dict[str, int]:
    """A register of `count` generated Huzhou enterprises plus the platform's own, and a year of every feed
    imported through the real importer (the same call again imports nothing: the files hash the same)."""

    from steward.register import importer
    from tenants.models import User

    year = year or last_month()[0] - 1  # the year the demo's cement plant sealed in full (steward/demo)
    total = load_register(count)
    codes = list(RegisteredEnterprise.objects.order_by("id").values_list("credit_code", flat=True))
    by = User.objects.get(username="platform")
    overrides = _coal_near_sealed(year)
    created = 0
    for kind, source, carriers in FEEDS:
        data = feed_bytes(ENERGY_HEADER, energy_rows(codes, year, carriers, overrides))
        _batch, new = importer.import_feed(
            name=f"{kind}-{year}.csv", data=data, kind=kind, year=year, source=source, by=by
        )
        created += new
    data = feed_bytes(OUTPUT_HEADER, output_rows(codes, year))
    _batch, new = importer.import_feed(
        name=f"statistics-{year}.csv",
        data=data,
        kind="statistics_output",
        year=year,
        source="湖州市统计局",
        by=by,
    )
    # Each batch regrades the year after its commit (steward.register.subscribers); inside a caller's
    # transaction that waits for the commit, so grade here unless a run has already read every batch.
    from steward.register.grading import ensure_graded

    run = ensure_graded(year)
    return {
        "registered": total,
        "year": year,
        "batches_created": created + new,
        "graded": run.graded if run else 0,
    }


OFF_MONTH = (
    5  # the month whose coal the demo statistics under-report: its 速算 gap reaches the spot-check queue
)


def _coal_near_sealed(year: int) -> dict[tuple[str, int, str], Decimal]:
    """For enterprises that file here and have sealed months: the statistics' coal that puts 速算 at about 88 % of
    the sealed figure (process emissions and measured coal properties make up the rest), and 60 % in OFF_MONTH."""
    from steward.factors.source import FactorSnapshot
    from steward.oversight.models import MonthFact
    from steward.register.quick import carrier_factor

    per_tonne = carrier_factor("coal", year, FactorSnapshot.current()).tco2_per_unit
    facts = MonthFact.objects.filter(
        year=year,
        figures_version__isnull=False,
        total_tco2__isnull=False,
        enterprise__register_entry__isnull=False,
    ).values_list("enterprise__credit_code", "month", "total_tco2")
    return {
        (code, month, "coal"): (
            sealed * (Decimal("0.60") if month == OFF_MONTH else Decimal("0.88")) / per_tonne
        ).quantize(Decimal("0.01"))
        for code, month, sealed in facts
    }
