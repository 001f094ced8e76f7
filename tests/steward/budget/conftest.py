import datetime
from decimal import Decimal

import pytest

from steward.oversight.models import MonthFact
from steward.register import demo, importer
from steward.register.models import RegisteredEnterprise
from tenants.models import User


@pytest.fixture
def register(db):
    """30 generated enterprises over the districts, and the platform's enterprises linked to their workspaces."""
    demo.load_register(30)
    return list(RegisteredEnterprise.objects.order_by("id"))


@pytest.fixture
def feed():
    """feed(rows, kind=…, year=…): a register feed imported through the real importer."""
    platform = User.objects.get(username="platform")

    def load(rows, *, kind="grid_electricity", year=None, name="feed.csv"):
        year = year or rows[0][1]
        header = demo.OUTPUT_HEADER if kind == "statistics_output" else demo.ENERGY_HEADER
        data = demo.feed_bytes(header, rows)
        return importer.import_feed(name=name, data=data, kind=kind, year=year, source="test", by=platform)[0]

    return load


@pytest.fixture
def sealed():
    """sealed(enterprise, year, month, tCO2, locked=True): the month's row of the read model as the emissions
    projector writes it for a locked version (locked=False: a draft, which carries no figures)."""

    def seal(enterprise, year, month, tco2, locked=True):
        MonthFact.objects.update_or_create(
            enterprise=enterprise,
            year=year,
            month=month,
            defaults={
                "jurisdiction_id": enterprise.jurisdiction_id,
                "industry_id": enterprise.industry_id,
                "status": "locked" if locked else "draft",
                "version": 1,
                "deadline": datetime.date(year, month, 28),
                "figures_version": 1 if locked else None,
                "total_tco2": Decimal(tco2) if locked else None,
            },
        )

    return seal


@pytest.fixture
def graded_pair(register, feed):
    """graded_pair(a_months): two register enterprises of one industry without a workspace, graded for 2025.
    A used 1,000 MWh and B 2,000 MWh in January (1,000 万元 of value added each then): industry L = (530.6 +
    1,061.2) t ÷ 2,000 万元 = 0.7959 tCO2/万元. `a_months`: A's statistics rows, month → (output, value added)
    in 万元. Returns (A, B, the grading run)."""
    from steward.register.grading import regrade

    def make(a_months: dict[int, tuple[str, str]]):
        by_industry: dict[str, list] = {}
        for entry in register:
            if entry.enterprise_id is None:
                by_industry.setdefault(entry.industry_id, []).append(entry)
        a, b = next(entries for entries in by_industry.values() if len(entries) >= 2)[:2]
        feed(
            [
                [a.credit_code, 2025, 1, "电力", "1000000", "kWh"],
                [b.credit_code, 2025, 1, "电力", "2000000", "kWh"],
            ],
            name="grid.csv",
        )
        feed(
            [[a.credit_code, 2025, month, *figures] for month, figures in sorted(a_months.items())]
            + [[b.credit_code, 2025, 1, "4000", "1000"]],
            kind="statistics_output",
            name="stats.csv",
        )
        return a, b, regrade(2025)

    return make
