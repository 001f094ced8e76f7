"""The bench's public URLconf: the product's, plus two stock DRF list endpoints (ModelViewSets with no
authentication, permission, throttle or tenant lookups) that bench/api_load.py measures in the same run as the
workspace API:

* `/bench/stock/activity/`: the baseline. The same activity records of the demo power plant, the same fields,
  nesting, joins, ordering and page size as `GET /e/cx-power/api/v1/activity/`, so the ratio measures what the
  product adds (token, tenant, access, edge, history and logging layers), not a different payload.
* `/bench/stock/industries/`: a simple public table, for scale.
"""

from django.db import connection
from django.urls import include, path
from rest_framework import serializers, viewsets
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import AllowAny

from steward.carbon.models import ActivityRecord, MeasuredParameter
from tenants.models import Industry

POWER_PLANT_SCHEMA = "ent_cx_power"


class IndustrySerializer(serializers.ModelSerializer):
    class Meta:
        model = Industry
        fields = "__all__"


class StockIndustryViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Industry.objects.order_by("code")
    serializer_class = IndustrySerializer
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []
    pagination_class = LimitOffsetPagination


class StockParameterSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeasuredParameter
        fields = ["name", "value", "unit"]


class StockActivitySerializer(serializers.ModelSerializer):
    source = serializers.CharField(source="source.code")
    parameters = StockParameterSerializer(many=True)
    entered_by = serializers.CharField(source="entered_by.username")
    import_batch = serializers.IntegerField(source="import_link.batch_id", default=None)

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


class StockActivityViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = StockActivitySerializer
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []
    pagination_class = LimitOffsetPagination

    def get_queryset(self):
        connection.set_schema(POWER_PLANT_SCHEMA)
        return (
            ActivityRecord.objects.select_related("source", "entered_by", "import_link")
            .prefetch_related("parameters")
            .order_by("source__code", "year", "month", "version")
        )


class QueryCountMiddleware:
    """`X-Queries`: the SQL statements Django ran for the request (every one, through an execute wrapper)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = [0]

        def counted(execute, sql, params, many, context):
            count[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counted):
            response = self.get_response(request)
        response["X-Queries"] = str(count[0])
        return response


urlpatterns = [
    path("bench/stock/industries/", StockIndustryViewSet.as_view({"get": "list"})),
    path("bench/stock/activity/", StockActivityViewSet.as_view({"get": "list"})),
    path("", include("steward.urls")),
]
