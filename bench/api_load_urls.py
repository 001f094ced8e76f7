"""The bench's public URLconf: the product's, plus `/bench/stock/industries/`, a stock DRF list endpoint (a
ModelViewSet over a simple public table, no authentication, permission, throttle or tenant lookups) that is
the baseline bench/api_load.py measures in the same run as the workspace API."""

from django.db import connection
from django.urls import include, path
from rest_framework import serializers, viewsets
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import AllowAny

from tenants.models import Industry


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
    path("", include("steward.urls")),
]
