"""Forms of the workspace pages: the enterprise profile, evidence upload, revoking an engagement."""

from django import forms
from django.utils.translation import gettext_lazy as _

from steward.evidence.models import EvidenceFile
from tenants.models import Enterprise


class EnterpriseProfileForm(forms.ModelForm):
    class Meta:
        model = Enterprise
        fields = ["name_zh", "name_en", "address", "industry"]


class EvidenceUploadForm(forms.Form):
    file = forms.FileField(label=_("文件"))
    kind = forms.ChoiceField(label=_("类别"), choices=EvidenceFile.Kind.choices)
    scope = forms.ChoiceField(
        label=_("所属范围"),
        choices=[("", _("按类别确定（监测报告属环境，检测报告和发票属碳排放，其余两者皆属）"))]
        + EvidenceFile.Scope.choices,
        required=False,
        help_text=_("管家仅能查看其服务范围内的文件。"),
    )
    description = forms.CharField(label=_("说明"), max_length=200, required=False)


class RevokeEngagementForm(forms.Form):
    reason = forms.CharField(label=_("撤销原因"), max_length=200)
