"""GET /e/<slug>/api/v1/compliance/<year>/: the year's position (with its steps and forecast) and the
carbon-efficiency grade, as JSON. Decimals are strings, never floats."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from steward.api.permissions import WorkspaceAction
from steward.compliance import selectors
from steward.compliance.payloads import efficiency_payload, position_payload


class ComplianceYearView(APIView):
    """The compliance position and carbon-efficiency grade of one year in this workspace."""

    permission_classes = [IsAuthenticated, WorkspaceAction]
    workspace_actions = {"GET": "view_compliance"}

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, year: int):
        body = {"year": year} | position_payload(selectors.year_position(year))
        body["carbon_efficiency"] = efficiency_payload(selectors.carbon_efficiency(year))
        return Response(body)
