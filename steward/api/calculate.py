"""POST /api/v1/calculate: the same request and result as `manage.py calculate`."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from steward.api.parsers import BoundedJSONParser
from steward.carbon.calculator import CalculationInputError, calculate
from steward.factors.source import FactorSnapshot

EXAMPLE = {
    "methodology": "cn_ets_power_2022",
    "period": {"year": 2024, "month": 3},
    "fuels": [
        {
            "fuel": "bituminous_coal",
            "consumption": {"value": "85000", "unit": "t"},
            "carbon_content_ar": {"value": "0.5230", "unit": "fraction"},
            "oxidation_rate": "0.99",
        }
    ],
    "purchased_electricity": {"value": "5000", "unit": "MWh"},
    "outputs": {"electricity_supplied": {"value": "200000", "unit": "MWh"}},
}


class CalculateView(APIView):
    """Compute emissions with an official methodology; every number in the result is traced to its source."""

    permission_classes = [IsAuthenticated]
    parser_classes = [
        BoundedJSONParser
    ]  # numbers as Decimal, 5 MiB, bounded nesting (steward.edge.json_body)

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
        examples=[OpenApiExample("power plant month", value=EXAMPLE, request_only=True)],
        description="Request and result schema: docs/calculation.md. 400 gives {path: [{code, message}]}.",
    )
    def post(self, request):
        factors = FactorSnapshot.current()
        try:
            return Response(calculate(request.data, factors))
        except CalculationInputError as error:
            return Response(error.errors, status=400)
