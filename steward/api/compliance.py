"""GET /e/<slug>/api/v1/compliance/<year>/: the year's position (with its steps and forecast) and the
carbon-efficiency grade, as JSON. Decimals are strings, never floats."""

from __future__ import annotations

from decimal import Decimal

from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from steward.api.permissions import WorkspaceAction
from steward.carbon.trace import plain
from steward.compliance import selectors


def _number(value: Decimal | None) -> str | None:
    return None if value is None else plain(value)


def _position(data: selectors.YearPosition) -> dict:
    policy, allocation, position, forecast = data.policy, data.allocation, data.position, data.forecast
    return {
        "policy": policy
        and {
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
    }


def _efficiency(data: selectors.YearEfficiency) -> dict | None:
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
    }


class ComplianceYearView(APIView):
    """The compliance position and carbon-efficiency grade of one year in this workspace."""

    permission_classes = [IsAuthenticated, WorkspaceAction]
    workspace_actions = {"GET": "view_compliance"}

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, year: int):
        body = {"year": year} | _position(selectors.year_position(year))
        body["carbon_efficiency"] = _efficiency(selectors.carbon_efficiency(year))
        return Response(body)
