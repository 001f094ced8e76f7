from rest_framework import serializers

from steward.api.strict import RefuseUnknownFields
from steward.evidence.models import EvidenceFile
from tenants.models import Engagement, Enterprise


class EnterpriseSerializer(RefuseUnknownFields, serializers.ModelSerializer):
    jurisdiction = serializers.CharField(source="jurisdiction.name_zh", read_only=True)
    industry = serializers.CharField(source="industry.name_zh", read_only=True)

    class Meta:
        model = Enterprise
        fields = [
            "slug",
            "name_zh",
            "name_en",
            "credit_code",
            "jurisdiction",
            "industry",
            "address",
            "in_national_carbon_market",
            "pollutant_permit_key_unit",
            "carbon_efficiency_evaluated",
        ]
        read_only_fields = ["slug", "credit_code"]


class EngagementSerializer(serializers.ModelSerializer):
    firm = serializers.CharField(source="firm.name_zh", read_only=True)
    enterprise = serializers.CharField(source="enterprise.slug", read_only=True)

    class Meta:
        model = Engagement
        fields = [
            "id",
            "firm",
            "enterprise",
            "covers_carbon",
            "covers_environmental",
            "starts_on",
            "ends_on",
            "status",
        ]


class EvidenceSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.CharField(source="uploaded_by.username", read_only=True)

    class Meta:
        model = EvidenceFile
        fields = [
            "id",
            "sha256",
            "original_name",
            "content_type",
            "size_bytes",
            "kind",
            "description",
            "scope",
            "uploaded_by",
            "uploaded_at",
            "integrity_ok",
        ]
        read_only_fields = fields


class EvidenceUploadSerializer(RefuseUnknownFields, serializers.Serializer):
    file = serializers.FileField()
    kind = serializers.ChoiceField(choices=EvidenceFile.Kind.choices)
    description = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    # Omitted: the kind decides (监测报告 → environmental, 检测报告/发票 → carbon, otherwise both).
    scope = serializers.ChoiceField(choices=EvidenceFile.Scope.choices, required=False)


class WorkspaceSummarySerializer(serializers.Serializer):
    slug = serializers.CharField(source="enterprise.slug")
    name_zh = serializers.CharField(source="enterprise.name_zh")
    roles = serializers.ListField(child=serializers.CharField())


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    platform_admin = serializers.BooleanField()
    workspaces = WorkspaceSummarySerializer(many=True)
