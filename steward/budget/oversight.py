"""The allocation in force per year in the oversight read model, so a budget can be set from it without
opening the enterprise's schema (the budget is public; the allocation lives in the workspace).

Runs inside the enterprise's schema as every projector does, through the compliance selector
(`current_allocation`: the final allocation's latest version, else the pre-allocation's). Metric
`allocation` (domain `budget`): value = allowances allocated for the year, label = stage and version
("final v2"). A key without a column in `steward/oversight/columns.py` is stored, not shown.
"""

from __future__ import annotations

from decimal import Decimal

from steward.compliance.models import Allocation
from steward.compliance.selectors import current_allocation
from steward.oversight.projection import Projection, projector
from tenants.models import Enterprise

PLACES = Decimal("0.0001")
KEY = "allocation"


@projector("budget", depends_on=("compliance",))
def project_allocation(enterprise: Enterprise, projection: Projection) -> None:
    for year in sorted(set(Allocation.objects.values_list("year", flat=True))):
        allocation = current_allocation(year)
        if allocation is None:
            continue
        projection.set_metric(
            domain="budget",
            key=KEY,
            period=(year, 0),
            value=allocation.allocated.quantize(PLACES),
            label=f"{allocation.stage} v{allocation.version}",
        )
