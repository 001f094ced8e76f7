"""The calculator: one JSON request in, one JSON result out. Shared by `manage.py calculate`,
POST /api/v1/calculate and the monthly computation of an enterprise's records."""

from __future__ import annotations

from decimal import DecimalException

from django.core.exceptions import ValidationError

from steward.carbon.methods import METHODOLOGIES
from steward.carbon.methods.common import MissingFactor
from steward.carbon.request import CalculationInputError, CalculationRequest, parse_request
from steward.carbon.trace import Result
from steward.edge.errors import field_errors
from steward.factors.source import FactorSource

__all__ = ["CalculationInputError", "calculate", "compute", "parse"]


def parse(data, factors: FactorSource) -> CalculationRequest:
    request = parse_request(data, factors, set(METHODOLOGIES))
    incomplete = [line.path for line in request.clinker or () if None in line.values.values()]
    if request.methodology == "cn_cement_clinker" and incomplete:
        raise CalculationInputError(
            {path: [{"code": "incomplete", "message": "熟料数据不完整"}] for path in incomplete}
        )
    try:
        METHODOLOGIES[request.methodology].check(
            request
        )  # the method's domain refusals, each naming its field
    except ValidationError as error:
        raise CalculationInputError(field_errors(error, root="")) from error
    return request


def compute(request: CalculationRequest, factors: FactorSource) -> Result:
    try:
        return METHODOLOGIES[request.methodology].compute(request, factors)
    except (MissingFactor, LookupError) as error:
        raise CalculationInputError(
            {"factors": [{"code": "missing_factor", "message": str(error)}]}
        ) from error
    except ValidationError as error:  # a methodology's domain refusal, with its field path
        raise CalculationInputError(field_errors(error, root="")) from error
    except (DecimalException, ZeroDivisionError) as error:
        # Inputs are bounded at the edge, so this is a combination the methodology cannot divide by (e.g. a
        # moisture of 100%): refused, not a 500. Methodologies name the field where they can.
        raise CalculationInputError(
            {"": [{"code": "not_computable", "message": f"输入组合无法计算（{type(error).__name__}）"}]}
        ) from error


def calculate(data, factors: FactorSource) -> dict:
    """Validate, compute and return the JSON-ready result (raises CalculationInputError on bad input)."""
    return compute(parse(data, factors), factors).as_json()
