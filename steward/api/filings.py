"""Results and filings over the API: read with filters; submit a month (never approve: that is a person's act)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from steward.api.permissions import WorkspaceAction
from steward.api.strict import int_query
from steward.carbon.models import CalculationRun
from steward.edge.errors import field_errors
from steward.edge.periods import check_period
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
    value = int_query(params, name)
    return rows if value is None else rows.filter(**{name: value})


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
        check_period(year, month)  # an EdgeError: 400 with the field named (steward.api.errors)
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
            return Response(refused_submit(error, enterprise, year, month, request.user), status=400)
        return Response(FilingSerializer(filing).data)


def _finding_json(finding) -> dict:
    get = finding.get if isinstance(finding, dict) else lambda key, default="": getattr(finding, key, default)
    rule = get("rule_id", "") or get("rule", "") or get("code", "")
    return {
        "code": rule,
        "rule": rule,
        "severity": get("severity", ""),
        "item": get("item", ""),
        "message": str(get("message", "")),
    }


def refused_submit(error: DjangoValidationError, enterprise, year: int, month: int, by) -> dict:
    """The refusal with the open findings that stop the month (code, rule, message), in Chinese.

    The findings come from the error when it carries them; otherwise the rule pack is run again and its
    findings kept on the filing (submit's own run was rolled back with the refused transition), so the page
    shows the same list."""
    body = field_errors(error)
    carried = (
        getattr(error, "items", None)  # workflows.kit.TransitionRefused: the open findings of the condition
        or getattr(error, "findings", None)
        or (getattr(error, "params", None) or {}).get("findings")
    )
    if carried is None:
        filing = services.current_filing(year, month)
        if filing is None or filing.status not in {FilingStatus.DRAFT, FilingStatus.RETURNED}:
            return body
        carried = [f for f in services.run_checks(enterprise=enterprise, filing=filing, by=by) if f.open]
    findings = [_finding_json(finding) for finding in carried]
    if findings:
        body["non_field_errors"] = [
            {
                "code": (body.get("non_field_errors") or [{"code": "open_findings"}])[0]["code"],
                "message": f"仍有 {len(findings)} 项阻断问题或未确认的警告，不能提交："
                + "；".join(f"{f['rule']} {f['item']}：{f['message']}" for f in findings),
            }
        ]
    body["findings"] = findings
    return body
