"""Activity data over the API: list with filters, and write (a first figure, or a new version with a reason).

Writes go through `steward.carbon.services.enter_activity`, the service the month page uses too, so an API
client follows the same rules: a figure already entered is corrected by version n+1 with a reason, never
edited, and sending the same figure again writes nothing.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from steward.api.permissions import WorkspaceAction
from steward.api.strict import RefuseUnknownFields, int_query
from steward.carbon import services
from steward.carbon.models import QUANTITY, ActivityRecord, DataSource, EmissionSource, MeasuredParameter
from steward.edge.periods import check_period


class ParameterSerializer(RefuseUnknownFields, serializers.ModelSerializer):
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


class ActivityWriteSerializer(RefuseUnknownFields, serializers.Serializer):
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

    def validate(self, data):
        check_period(data["year"], data["month"])  # not after this month, not before the first reporting year
        return data


class ActivityListView(generics.ListAPIView):
    """Activity records (every version, newest last); POST enters a figure or corrects the current one."""

    permission_classes = [IsAuthenticated, WorkspaceAction]
    workspace_actions = {"GET": "view_carbon", "POST": "enter_activity_data"}
    serializer_class = ActivitySerializer

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
            if (value := int_query(params, name)) is not None:
                rows = rows.filter(**{name: value})
        if params.get("source"):
            rows = rows.filter(source__code=params["source"])
        if params.get("current") in {"true", "1"}:
            rows = rows.filter(superseded_by__isnull=True)
        return rows.order_by("source__code", "year", "month", "version")

    @extend_schema(
        request=ActivityWriteSerializer,
        responses={201: ActivitySerializer, 200: ActivitySerializer, 400: dict, 409: dict},
    )
    def post(self, request):
        incoming = ActivityWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        parameters = [services.ParameterInput(p["name"], p["value"], p["unit"]) for p in data["parameters"]]
        # A service's refusal (a Django ValidationError) becomes {field: [{code, message}]} in steward.api.errors;
        # a frozen month or a figure someone else changed first answers 409.
        entered = services.enter_activity(
            source=data["source"],
            year=data["year"],
            month=data["month"],
            quantity=data["quantity"],
            unit=data["unit"],
            data_source=data["data_source"],
            parameters=parameters,
            reason=data["reason"],
            expected_version=data.get("version"),  # optimistic concurrency: the version the client saw
            by=request.user,
        )
        created = (
            entered.action != "unchanged"
        )  # the same figure again writes nothing: 200 with the current one
        return Response(
            ActivitySerializer(entered.record).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
