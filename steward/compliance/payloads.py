"""The year's position and grade as plain JSON-ready dicts (Decimals as strings), shared by the API and the
PDFs of record, so both say the same thing."""

from __future__ import annotations

from decimal import Decimal

from steward.carbon.trace import plain
from steward.compliance import selectors
from steward.compliance.grading import Band
from steward.compliance.models import Allocation

FOUR_PLACES = Decimal("0.0001")  # L and K as printed; grading compares the unrounded values
WARNINGS = {"likely": "很可能出现配额缺口", "possible": "存在出现缺口的可能", "": ""}


def _number(value: Decimal | None) -> str | None:
    return None if value is None else plain(value)


def position_payload(data: selectors.YearPosition) -> dict:
    policy, allocation, position, forecast = data.policy, data.allocation, data.position, data.forecast
    return {
        "policy": policy
        and {
            "source_document": policy.source_document,
            "sector": policy.sector,
            "emissions_scope": policy.emissions_scope,
            "output_basis": policy.output_basis,
            "deficit_cap_share": _number(policy.deficit_cap_share),
            "gas_capped_at_allocation": policy.gas_capped_at_allocation,
            "ccer_cap_share": _number(policy.ccer_cap_share),
            "surrender_deadline": policy.surrender_deadline.isoformat(),
            "status": policy.status,
        },
        "allocation": allocation
        and {
            "stage": allocation.stage,
            "stage_label": str(Allocation.Stage(allocation.stage).label),
            "version": allocation.version,
            "allocated_t": _number(allocation.allocated),
            "carried_in_t": _number(allocation.carried_in),
            "benchmark_set": allocation.benchmark_set,
            "benchmark_status": allocation.benchmark_status,
            "benchmark_covers_year": data.benchmark_covers_year,
            "trace": allocation.trace,
        },
        "emissions": {
            "source": data.emissions.source,
            "total_tco2": _number(data.emissions.total),
            "scope": data.emissions.scope,
            "unscoped_months": list(data.emissions.unscoped_months),
            "complete": data.emissions.complete,
            "months": {str(m): _number(v) for m, v in data.emissions.months.items()},
        },
        "position": position
        and {
            "on_forecast": data.on_forecast,
            "surplus_t": _number(position.surplus),
            "obligation_t": _number(position.obligation),
            "relief_t": _number(position.relief),
            "deficit_cap_applied": position.deficit_cap_applied,
            "gas_cap_applied": position.gas_cap_applied,
            "to_acquire_t": _number(position.to_acquire),
            "ccer_cap_t": _number(position.ccer_cap),
            "steps": position.steps,
        },
        "forecast": forecast
        and {
            "method": forecast.method,
            "months_locked": forecast.months_locked,
            "low_tco2": _number(forecast.low),
            "point_tco2": _number(forecast.point),
            "high_tco2": _number(forecast.high),
            "surplus_t": {k: _number(v) for k, v in (data.forecast_positions or {}).items()},
        },
        "warning": data.warning,
        "warning_label": WARNINGS[data.warning],
    }


def efficiency_payload(data: selectors.YearEfficiency) -> dict | None:
    grading = data.grading
    if grading is None:
        return None
    return {
        "provisional": data.provisional,
        "l_tco2_per_10k_cny": _number(grading.l_value),
        "level": grading.level.label,
        "k": _number(grading.k_value),
        "grade": grading.grade.grade,
        "colour": grading.grade.colour,
        "colour_status": grading.grade.colour_status,
        "threshold_status": grading.grade.threshold_status,
        "grade_label": grading.grade.label,
        "emissions_t": _number(grading.emissions_t),
        "zero_carbon_t": _number(grading.zero_carbon_t),
        "value_added_10k": _number(grading.value_added_10k),
        "l_value": format(grading.l_value.quantize(FOUR_PLACES), "f"),
        "k_value": format(grading.k_value.quantize(FOUR_PLACES), "f"),
        "industry_average_l": _number(grading.industry_average_l),
        "industry_average_source": data.value_added.industry_average_source,
    }


def band_payload(band: Band) -> dict:
    return {
        "label": band.label,
        "lower_exclusive": _number(band.lower_exclusive),
        "upper_inclusive": _number(band.upper_inclusive),
        "grade": band.grade,
        "colour": band.colour,
        "threshold_status": band.threshold_status,
        "colour_status": band.colour_status,
    }
