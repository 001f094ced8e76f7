"""The fused inventory (融合清单, DOMAIN.md §4.3): one source tree (facility → source, plus outlets without a
source) with CO2 and pollutants side by side per month. CO2 comes from the carbon side's current calculation
run (line per source); pollutants from the pollutant accounting. An outlet's monitored amount is allocated to
its sources in proportion to their coefficient estimates (equally when there is none), the last source taking
the remainder, so the inventory's totals equal both sides exactly.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from steward.carbon.models import CalculationRun, EmissionSource
from steward.carbon.selectors import current_run, runs_visible_to
from steward.pollution.accounting import results_by_month
from steward.pollution.models import Permit, SourceOutlet
from tenants.access import WorkspaceAccess


@dataclass
class InventoryRow:
    facility: str
    source: str
    month: int
    tco2: Decimal = Decimal(0)
    pollutants: dict[str, Decimal] = field(default_factory=dict)
    methods: set[str] = field(default_factory=set)


@dataclass
class Inventory:
    year: int
    months: list[int]
    pollutants: list[str]
    rows: list[InventoryRow]
    carbon_total: Decimal  # Σ current runs' total_tco2
    pollutant_totals: dict[str, Decimal]  # Σ pollutant accounting results
    shows_carbon: bool = True
    shows_pollutants: bool = True
    hidden: list[str] = field(default_factory=list)  # what this reader does not see, and why (shown as is)

    def row_total_tco2(self) -> Decimal:
        return sum((row.tco2 for row in self.rows), Decimal(0))

    def row_total(self, pollutant: str) -> Decimal:
        return sum((row.pollutants.get(pollutant, Decimal(0)) for row in self.rows), Decimal(0))


LINE_KINDS = {
    "purchased_electricity": EmissionSource.Kind.PURCHASED_ELECTRICITY,
    "purchased_heat": EmissionSource.Kind.PURCHASED_HEAT,
    "clinker_process": EmissionSource.Kind.CLINKER_PROCESS,
    # cement: the raw meal's non-fuel carbon is the clinker line's; the clinker facility's part of the
    # purchased electricity is the grid source's
    "raw_meal_carbon": EmissionSource.Kind.CLINKER_PROCESS,
    "purchased_electricity_clinker": EmissionSource.Kind.PURCHASED_ELECTRICITY,
}


def _line_source_name(key: str) -> str | None:
    """The one source of the kind a non-fuel line sums (several sources of a kind keep the line's own label; a
    plant with several kilns has one line per kiln, `clinker_process[1]`, whose label names the kiln)."""
    kind = LINE_KINDS.get(key.partition("[")[0], "")
    names = list(EmissionSource.objects.filter(kind=kind).values_list("name", flat=True))
    return names[0] if len(names) == 1 else None


def _co2_by_source(run: CalculationRun | None) -> tuple[dict[str, Decimal], Decimal]:
    """source name → tCO2 from one run: fuel lines by their request entry, the others by source kind."""
    if run is None:
        return {}, Decimal(0)
    fuels = run.request.get("fuels", [])
    by_label: dict[str, Decimal] = defaultdict(Decimal)
    for line in run.result["lines"]:
        key = line["key"]
        if key.startswith("fuel["):
            label = fuels[int(key[5:-1])]["label"]
        else:
            label = _line_source_name(key) or line["label"]
        by_label[label] += Decimal(line["tco2"])
    # The run total is rounded from unrounded lines; keep the difference visible on its own row, never hidden.
    difference = run.total_tco2 - sum(by_label.values(), Decimal(0))
    if difference:
        by_label[_("（取整差）")] += difference
    return by_label, run.total_tco2


def _allocate(amount: Decimal, weights: dict[int, Decimal], source_ids: list[int]) -> dict[int, Decimal]:
    total = sum(weights.get(s, Decimal(0)) for s in source_ids)
    shares, allocated = {}, Decimal(0)
    for index, source_id in enumerate(source_ids):
        if index == len(source_ids) - 1:
            shares[source_id] = amount - allocated
        else:
            share = amount * (
                weights.get(source_id, Decimal(0)) / total if total else Decimal(1) / len(source_ids)
            )
            shares[source_id] = share
            allocated += share
    return shares


def build(
    permit: Permit | None,
    year: int,
    months: list[int],
    *,
    runs: dict[int, CalculationRun] | None = None,
    pollutants_shown: bool = True,
) -> Inventory:
    """The inventory of `months`. `runs` (month → run) limits the carbon half to those runs (default: each
    month's current run); `pollutants_shown=False` leaves the pollutant half out."""
    if runs is None:
        runs = {month: run for month in months if (run := current_run(year, month)) is not None}
    sources = {s.pk: s for s in EmissionSource.objects.select_related("facility")}
    links = defaultdict(list)
    for link in SourceOutlet.objects.order_by("source__code"):
        if link.source_id not in links[(link.outlet_code, link.pollutant)]:
            links[(link.outlet_code, link.pollutant)].append(link.source_id)
    rows: dict[tuple, InventoryRow] = {}
    pollutants, pollutant_totals, carbon_total = set(), defaultdict(Decimal), Decimal(0)

    def row(facility: str, source: str, month: int) -> InventoryRow:
        return rows.setdefault((facility, source, month), InventoryRow(facility, source, month))

    by_name = {s.name: s for s in sources.values()}
    accounted = results_by_month(permit, year, months) if permit and pollutants_shown else {}
    for month in months:
        co2, total = _co2_by_source(runs.get(month))
        carbon_total += total
        for label, tco2 in co2.items():
            source = by_name.get(label)
            row(source.facility.name if source else "—", label, month).tco2 += tco2
        for result in accounted.get(month, []):
            pollutants.add(result.pollutant)
            pollutant_totals[result.pollutant] += result.tonnes
            linked = links.get((result.outlet_code, result.pollutant), [])
            if not linked:
                outlet = _("排放口 %(code)s") % {"code": result.outlet_code}
                target = row(outlet, outlet, month)
                target.pollutants[result.pollutant] = (
                    target.pollutants.get(result.pollutant, Decimal(0)) + result.tonnes
                )
                target.methods.add(_(result.method_label))
                continue
            for source_id, tonnes in _allocate(result.tonnes, result.by_source, linked).items():
                source = sources[source_id]
                target = row(source.facility.name, source.name, month)
                target.pollutants[result.pollutant] = (
                    target.pollutants.get(result.pollutant, Decimal(0)) + tonnes
                )
                target.methods.add(_(result.method_label))
    ordered = sorted(rows.values(), key=lambda r: (r.month, r.facility, r.source))
    return Inventory(year, months, sorted(pollutants), ordered, carbon_total, dict(pollutant_totals))


def _month_list(months) -> str:
    return "、".join(_("%(month)s月") % {"month": month} for month in sorted(months))


def for_grant(grant: WorkspaceAccess, permit: Permit | None, year: int, months: list[int]) -> Inventory:
    """The fused inventory as this grant may read it: each half only with its scope, and for oversight only
    the carbon figures of months that were submitted. What is left out is named, with the reason."""
    hidden: list[str] = []
    shows_carbon = grant.allows("view_carbon") or grant.allows("view_submitted_filings")
    runs = runs_visible_to(grant, year, months) if shows_carbon else {}
    if not shows_carbon:
        hidden.append(_("碳排放数据已隐藏：您的服务关系不包含碳排放核算范围。"))
    elif not grant.allows("view_carbon"):
        unsubmitted = [month for month in months if month not in runs]
        if unsubmitted:
            hidden.append(
                _("以下月份尚未提交审核，碳排放数据不向监管部门展示：%(months)s。")
                % {"months": _month_list(unsubmitted)}
            )
    shows_pollutants = grant.allows("view_pollution")
    if not shows_pollutants:
        hidden.append(_("污染物排放数据已隐藏：您的服务关系不包含排污许可（环境）范围。"))
    built = build(permit, year, months, runs=runs, pollutants_shown=shows_pollutants)
    built.shows_carbon, built.shows_pollutants, built.hidden = shows_carbon, shows_pollutants, hidden
    return built
