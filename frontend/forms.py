from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from steward.evidence.models import EvidenceFile
from tenants.attempts import SIGN_IN
from tenants.credit_code import normalise, validate_credit_code
from tenants.models import Enterprise, Industry, Jurisdiction, StewardFirm


class SignInForm(AuthenticationForm):
    """Sign-in that stops a password guesser: after SIGN_IN.limit wrong passwords for an account, it is refused
    for SIGN_IN.minutes whatever the password (tenants/attempts.py)."""

    def clean(self):
        account = self.cleaned_data.get("username") or ""
        if account and SIGN_IN.locked(account):
            raise forms.ValidationError(
                _("登录失败次数过多，该账号已锁定 %(minutes)d 分钟，请稍后再试。"),
                code="locked",
                params={"minutes": SIGN_IN.minutes},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if account:
                SIGN_IN.failed(account)
            raise
        SIGN_IN.succeeded(account)
        return cleaned


class OnboardEnterpriseForm(forms.Form):
    name_zh = forms.CharField(label=_("企业名称"), max_length=120)
    name_en = forms.CharField(label=_("英文名称"), max_length=160, required=False)
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=18, min_length=1)
    slug = forms.SlugField(
        label=_("工作区标识"), max_length=40, help_text=_("用于网址 /e/<标识>/，小写字母、数字和连字符。")
    )
    jurisdiction = forms.ModelChoiceField(label=_("所属区域"), queryset=Jurisdiction.objects.all())
    industry = forms.ModelChoiceField(label=_("所属行业（GB/T 4754）"), queryset=Industry.objects.all())
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    in_national_carbon_market = forms.BooleanField(label=_("全国碳市场重点排放单位"), required=False)
    pollutant_permit_key_unit = forms.BooleanField(label=_("排污许可重点管理单位"), required=False)
    carbon_efficiency_evaluated = forms.BooleanField(label=_("参与工业碳效评价"), required=False)

    def clean_credit_code(self) -> str:
        code = normalise(self.cleaned_data["credit_code"])
        validate_credit_code(code)
        if Enterprise.objects.filter(credit_code=code).exists():
            raise forms.ValidationError(_("该统一社会信用代码的企业已开通。"), code="duplicate")
        return code


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


class EngagementForm(forms.Form):
    firm = forms.ModelChoiceField(label=_("服务机构"), queryset=StewardFirm.objects.all())
    enterprise = forms.ModelChoiceField(label=_("企业"), queryset=Enterprise.objects.all())
    covers_carbon = forms.BooleanField(label=_("碳管家服务"), required=False, initial=True)
    covers_environmental = forms.BooleanField(label=_("环保管家服务"), required=False)
    starts_on = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}))
