"""Activity data over the API: list with filters, and write (a first figure, or a new version with a reason).

Writes go through steward.carbon.services, so an API client follows the same rules as the page: a figure
already entered is corrected by version n+1 with a reason, never edited.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from steward.api.calculate import DecimalJSONParser
from steward.api.permissions import WorkspaceAction
from steward.carbon import services
from steward.carbon.freeze import MonthFrozen, RecordConflict
from steward.carbon.models import QUANTITY, ActivityRecord, DataSource, EmissionSource, MeasuredParameter


class ParameterSerializer(serializers.ModelSerializer):
    value = serializers.DecimalField(**QUANTITY, min_value=0)

    class Meta:
        model = MeasuredParameter
        fields = ["name", "value", "unit"]


class ActivitySerializer(serializers.ModelSerializer):
    source = serializers.CharField(source="source.code", read_only=True)
    parameters = ParameterSerializer(many=True, read_only=True)
    entered_by = serializers.CharField(source="entered_by.username", read_only=True)
    import_batch = serializers.IntegerField(source="import_link.batch_id", read_only=True, default=None)

    class Meta:
        model = ActivityRecord
        fields = [
            "id",
            "source",
            "year",
            "month",
            "version",
            "quantity",
            "unit",
            "data_source",
            "parameters",
            "correction_reason",
            "entered_by",
            "entered_at",
            "import_batch",
        ]
        read_only_fields = fields


class ActivityWriteSerializer(serializers.Serializer):
    source = serializers.SlugRelatedField(slug_field="code", queryset=EmissionSource.objects.all())
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    month = serializers.IntegerField(min_value=1, max_value=12)
    quantity = serializers.DecimalField(**QUANTITY, min_value=0)
    unit = serializers.CharField(max_length=20)
    data_source = serializers.ChoiceField(choices=DataSource.choices)
    parameters = ParameterSerializer(many=True, required=False, default=list)
    reason = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)
    version = serializers.IntegerField(
        min_value=0,
        required=False,
        help_text="The version this write is based on (0: none yet). A different current version is a 409.",
    )


def field_errors(error: DjangoValidationError) -> dict:
    """{field: [{code, message}]}, the house shape for refusals."""
    if hasattr(error, "error_dict"):
        return {
            field: [{"code": e.code or "invalid", "message": " ".join(e.messages)} for e in errors]
            for field, errors in error.error_dict.items()
        }
    return {
        "non_field_errors": [
            {"code": e.code or "invalid", "message": " ".join(e.messages)} for e in error.error_list
        ]
    }


def _based_on(data: dict, current: ActivityRecord | None) -> ActivityRecord | None:
    """The current record, when it is the version the client based its write on; otherwise a conflict.
    The service re-checks under the chain lock, so of concurrent writers on one version exactly one wins."""
    if data["version"] != (current.version if current else 0):
        raise RecordConflict(
            _("您更正的是第%(old)s版，但已有更新的第%(new)s版，请基于最新版本更正。"),
            code="stale_version",
            params={"old": data["version"], "new": current.version if current else 0},
        )
    return current


class ActivityListView(generics.ListAPIView):
    """Activity records (every version, newest last); POST enters a figure or corrects the current one."""

    permission_classes = [IsAuthenticated, WorkspaceAction]
    workspace_actions = {"GET": "view_carbon", "POST": "enter_activity_data"}
    serializer_class = ActivitySerializer
    parser_classes = [DecimalJSONParser]

    @extend_schema(
        parameters=[
            OpenApiParameter("year", int, description="核算年份"),
            OpenApiParameter("month", int, description="月份 1–12"),
            OpenApiParameter("source", str, description="排放源编号"),
            OpenApiParameter("current", bool, description="只返回每个排放源每月的最新版本"),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        rows = ActivityRecord.objects.select_related("source", "entered_by", "import_link").prefetch_related(
            "parameters"
        )
        params = self.request.query_params
        for name in ("year", "month"):
            if params.get(name):
                try:
                    rows = rows.filter(**{name: int(params[name])})
                except ValueError:
                    raise ValidationError({name: [{"code": "invalid", "message": "应为整数。"}]}) from None
        if params.get("source"):
            rows = rows.filter(source__code=params["source"])
        if params.get("current") in {"true", "1"}:
            rows = rows.filter(superseded_by__isnull=True)
        return rows.order_by("source__code", "year", "month", "version")

    @extend_schema(request=ActivityWriteSerializer, responses={201: ActivitySerializer, 400: dict, 409: dict})
    def post(self, request):
        incoming = ActivityWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        parameters = [services.ParameterInput(p["name"], p["value"], p["unit"]) for p in data["parameters"]]
        common = {
            "quantity": data["quantity"],
            "unit": data["unit"],
            "data_source": data["data_source"],
            "parameters": parameters,
            "entered_by": request.user,
        }
        try:
            with transaction.atomic():
                current = services.latest_activity(data["source"], data["year"], data["month"])
                if "version" in data:  # optimistic concurrency: correct exactly the version the client saw
                    current = _based_on(data, current)
                if current is None:
                    record = services.record_activity(
                        source=data["source"], year=data["year"], month=data["month"], **common
                    )
                else:
                    record = services.correct_activity(record=current, reason=data["reason"], **common)
        except (MonthFrozen, RecordConflict) as error:  # the month or the figure changed state: 409
            return Response(field_errors(error), status=status.HTTP_409_CONFLICT)
        except DjangoValidationError as error:
            raise ValidationError(field_errors(error)) from error
        return Response(ActivitySerializer(record).data, status=status.HTTP_201_CREATED)
