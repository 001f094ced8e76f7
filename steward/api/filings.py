"""Results and filings over the API: read with filters; submit a month (never approve: that is a person's act)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from steward.api.activity import field_errors
from steward.api.permissions import WorkspaceAction
from steward.carbon.models import CalculationRun
from steward.filing.models import FilingStatus, MonthlyFiling
from steward.filing.selectors import filings_visible_to
from workflows import monthly_filing as services


class ResultSerializer(serializers.ModelSerializer):
    is_current = serializers.SerializerMethodField()

    class Meta:
        model = CalculationRun
        fields = [
            "id",
            "year",
            "month",
            "methodology",
            "methodology_version",
            "factor_set_version",
            "total_tco2",
            "reason",
            "computed_at",
            "is_current",
        ]

    def get_is_current(self, run: CalculationRun) -> bool:
        return not hasattr(run, "superseded_by")


class FilingSerializer(serializers.ModelSerializer):
    class Meta:
        model = MonthlyFiling
        fields = [
            "id",
            "year",
            "month",
            "version",
            "status",
            "deadline",
            "submitted_at",
            "locked_at",
            "seal",
            "previous_seal",
        ]


def _int_filter(rows, params, name: str):
    if params.get(name):
        try:
            return rows.filter(**{name: int(params[name])})
        except ValueError:
            raise ValidationError({name: [{"code": "invalid", "message": "应为整数。"}]}) from None
    return rows


PERIOD = [OpenApiParameter("year", int), OpenApiParameter("month", int)]


@extend_schema(parameters=PERIOD)
class ResultListView(generics.ListAPIView):
    """Calculation results, each pinned to its methodology and factor-set versions."""

    permission_classes = [IsAuthenticated, WorkspaceAction]
    workspace_actions = {"GET": "view_carbon"}
    serializer_class = ResultSerializer

    def get_queryset(self):
        rows = CalculationRun.objects.select_related("superseded_by")
        for name in ("year", "month"):
            rows = _int_filter(rows, self.request.query_params, name)
        return rows.order_by("year", "month", "computed_at", "id")


@extend_schema(parameters=[*PERIOD, OpenApiParameter("status", str, enum=FilingStatus.values)])
class FilingListView(generics.ListAPIView):
    """Monthly filings; oversight roles see only submitted ones (in review or locked)."""

    permission_classes = [IsAuthenticated, WorkspaceAction]
    workspace_actions = {"GET": "view_submitted_filings"}
    serializer_class = FilingSerializer

    def get_queryset(self):
        rows = filings_visible_to(self.request._request.workspace_access)
        params = self.request.query_params
        for name in ("year", "month"):
            rows = _int_filter(rows, params, name)
        if params.get("status"):
            rows = rows.filter(status=params["status"])
        return rows.order_by("year", "month", "version")


class FilingSubmitView(APIView):
    """Submit a month for review (opening its filing if needed); the rule pack runs first."""

    permission_classes = [IsAuthenticated, WorkspaceAction]
    workspace_actions = {"POST": "submit_filing"}

    @extend_schema(request=None, responses={200: FilingSerializer, 400: dict, 409: dict})
    def post(self, request, year: int, month: int):
        if not 1 <= month <= 12 or not 2000 <= year <= 2100:
            raise ValidationError({"month": [{"code": "period", "message": "核算期无效。"}]})
        enterprise, grant = request._request.enterprise, request._request.workspace_access
        try:
            filing = services.current_filing(year, month) or services.open_filing(
                enterprise=enterprise, year=year, month=month, by=request.user, grant=grant
            )
            filing = services.submit(enterprise=enterprise, filing=filing, by=request.user, grant=grant)
        except DjangoPermissionDenied as error:
            raise PermissionDenied() from error
        except services.FilingConflict as error:
            return Response(field_errors(error), status=409)
        except DjangoValidationError as error:
            body = field_errors(error)
            # A refused submit carries the findings still open after the rule pack ran (workflows.kit).
            body["findings"] = [
                {"rule": f.rule_id, "severity": f.severity, "item": f.item, "message": f.message}
                for f in getattr(error, "items", [])
            ]
            return Response(body, status=400)
        return Response(FilingSerializer(filing).data)
