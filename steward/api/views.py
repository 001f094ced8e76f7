from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from steward.api.permissions import PlatformAction, WorkspaceAction
from steward.api.serializers import (
    EngagementSerializer,
    EnterpriseSerializer,
    EvidenceSerializer,
    EvidenceUploadSerializer,
    MeSerializer,
    WorkspaceSummarySerializer,
)
from steward.evidence.selectors import evidence_visible_to
from steward.evidence.services import store_evidence
from tenants import access
from tenants.models import Enterprise


class MeView(APIView):
    """The signed-in user and the workspaces they can open now."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        grants = access.accessible_enterprises(request.user, include_bureau=False)
        workspaces = [{"enterprise": grant.enterprise, "roles": sorted(grant.roles)} for grant in grants]
        return Response(
            {
                "username": request.user.username,
                "platform_admin": request.user.is_platform_admin,
                "workspaces": WorkspaceSummarySerializer(workspaces, many=True).data,
            }
        )


class EnterpriseListView(generics.ListAPIView):
    """All enterprises (platform administrators only)."""

    permission_classes = [IsAuthenticated, PlatformAction]
    platform_action = "view_all_enterprises"
    serializer_class = EnterpriseSerializer
    queryset = Enterprise.objects.select_related("jurisdiction", "industry").order_by("slug")


class WorkspaceEnterpriseView(generics.RetrieveUpdateAPIView):
    """This workspace's enterprise profile."""

    permission_classes = [IsAuthenticated, WorkspaceAction]
    workspace_actions = {"GET": "view_profile", "PATCH": "edit_profile", "PUT": "edit_profile"}
    serializer_class = EnterpriseSerializer

    def get_object(self):
        return self.request._request.enterprise


class WorkspaceEngagementListView(generics.ListAPIView):
    permission_classes = [IsAuthenticated, WorkspaceAction]
    workspace_actions = {"GET": "view_engagements"}
    serializer_class = EngagementSerializer

    def get_queryset(self):
        return self.request._request.enterprise.engagements.select_related("firm", "enterprise").order_by(
            "id"
        )


class WorkspaceEvidenceView(generics.ListAPIView):
    """Evidence files of this workspace; POST (multipart) uploads one."""

    permission_classes = [IsAuthenticated, WorkspaceAction]
    workspace_actions = {"GET": "view_evidence", "POST": "upload_evidence"}
    serializer_class = EvidenceSerializer
    parser_classes = [MultiPartParser]

    def get_queryset(self):
        grant = self.request._request.workspace_access
        return evidence_visible_to(grant).select_related("uploaded_by").order_by("-uploaded_at")

    @extend_schema(request=EvidenceUploadSerializer, responses={201: EvidenceSerializer})
    def post(self, request):
        upload = EvidenceUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        fields = upload.validated_data
        try:
            evidence = store_evidence(
                upload=fields["file"],
                kind=fields["kind"],
                description=fields["description"],
                uploaded_by=request.user,
                scope=fields.get("scope"),
            )
        except DjangoValidationError as error:
            raise ValidationError(
                {"file": [{"code": error.code or "invalid", "message": " ".join(error.messages)}]}
            ) from error
        return Response(EvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)
