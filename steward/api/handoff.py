"""The 存证 hand-off over the API: a locked month's national-platform items, and the platform's receipts.

GET items: the same JSON the page downloads (409 while the month is not locked). GET submissions: the month's
records, oldest first; POST records one (JSON, or multipart with a `receipt` file stored as evidence), or
corrects the record in force with `corrects` (its id) and a `reason`. Refusals in the house shape
(steward.api.errors): 409 for a month not locked or a record changed first, 400 for a field.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from steward.api.parsers import BoundedJSONParser
from steward.api.permissions import WorkspaceAction
from steward.api.strict import RefuseUnknownFields
from steward.edge.periods import check_period
from steward.filing.selectors import filings_visible_to
from steward.handoff import items, services
from steward.handoff.models import PlatformSubmission


class PlatformItemSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    position = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    subject = serializers.CharField()
    value = serializers.CharField(
        allow_null=True, help_text="plain decimal string, no exponent; null: not sealed"
    )
    display = serializers.CharField()
    unit = serializers.CharField()
    status = serializers.ChoiceField(choices=["verified", "to_verify"])
    status_name = serializers.CharField()
    source = serializers.CharField()


class PlatformItemsSerializer(serializers.Serializer):
    format = serializers.CharField()
    enterprise = serializers.DictField(child=serializers.CharField())
    sector = serializers.ChoiceField(choices=sorted(items.SECTOR_NAMES))
    sector_name = serializers.CharField()
    year = serializers.IntegerField()
    month = serializers.IntegerField()
    filing_version = serializers.IntegerField()
    seal = serializers.CharField()
    locked_at = serializers.DateTimeField(allow_null=True)
    platform_due_on = serializers.DateField()
    items = PlatformItemSerializer(many=True)


class PlatformSubmissionSerializer(serializers.ModelSerializer):
    filing_version = serializers.IntegerField(source="filing.version")
    receipt_sha256 = serializers.CharField(source="receipt.sha256", allow_null=True, default=None)
    recorded_by = serializers.CharField(source="recorded_by.display_name")
    is_current = serializers.BooleanField()

    class Meta:
        model = PlatformSubmission
        fields = [
            "id",
            "year",
            "month",
            "filing_version",
            "seal",
            "submitted_on",
            "receipt_number",
            "receipt",
            "receipt_sha256",
            "supersedes",
            "correction_reason",
            "recorded_by",
            "recorded_at",
            "is_current",
        ]


class PlatformSubmissionInput(RefuseUnknownFields, serializers.Serializer):
    submitted_on = serializers.DateField()
    receipt_number = serializers.CharField(max_length=services.RECEIPT_MAX)
    reason = serializers.CharField(max_length=services.REASON_MAX, required=False, allow_blank=True)
    corrects = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    receipt = serializers.FileField(required=False)


class PlatformItemsView(APIView):
    """A locked month's items for the national platform, in its order, with the sealed values."""

    permission_classes = [IsAuthenticated, WorkspaceAction]
    workspace_actions = {"GET": "view_carbon"}

    @extend_schema(responses={200: PlatformItemsSerializer, 400: dict, 409: dict})
    def get(self, request, year: int, month: int):
        check_period(year, month)
        grant = request._request.workspace_access
        filing = items.sealed_filing(year, month, filings_visible_to(grant))  # NotSealed: 409
        return Response(items.as_json(items.build_handoff(request._request.enterprise, filing)))


class PlatformSubmissionsView(APIView):
    """The month's records of its 存证 on the national platform; POST records one or corrects the current."""

    permission_classes = [IsAuthenticated, WorkspaceAction]
    workspace_actions = {"GET": "view_carbon", "POST": "submit_filing"}
    parser_classes = [BoundedJSONParser, MultiPartParser]

    @extend_schema(responses={200: PlatformSubmissionSerializer(many=True)})
    def get(self, request, year: int, month: int):
        check_period(year, month)
        rows = services.submission_history(year, month)
        return Response(PlatformSubmissionSerializer(rows, many=True).data)

    @extend_schema(
        request=PlatformSubmissionInput,
        responses={201: PlatformSubmissionSerializer, 400: dict, 403: dict, 409: dict},
    )
    def post(self, request, year: int, month: int):
        check_period(year, month)
        data = PlatformSubmissionInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        row = services.record_submission(
            grant=request._request.workspace_access,
            year=year,
            month=month,
            submitted_on=fields["submitted_on"],
            receipt_number=fields["receipt_number"],
            receipt_upload=fields.get("receipt"),
            reason=fields.get("reason", ""),
            corrects=fields.get("corrects"),
            by=request.user,
        )
        row = PlatformSubmission.objects.select_related("filing", "receipt", "recorded_by").get(pk=row.pk)
        return Response(PlatformSubmissionSerializer(row).data, status=status.HTTP_201_CREATED)
