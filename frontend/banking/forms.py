from django import forms
from django.utils.translation import gettext_lazy as _

from tenants.models import Bank

ITEM_CHOICES = [
    ("grade", _("碳效码等级")),
    ("emissions", _("年度排放量（含月度存证数据，可离线核验）")),
    ("intensity", _("排放强度趋势")),
    ("seal_status", _("存证状态")),
]


class GrantConsentForm(forms.Form):
    bank = forms.ModelChoiceField(label=_("银行"), queryset=Bank.objects.all(), empty_label=None)
    items = forms.MultipleChoiceField(
        label=_("授权查看内容"), choices=ITEM_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    ends_on = forms.DateField(label=_("截止日期"), widget=forms.DateInput(attrs={"type": "date"}))
    purpose = forms.CharField(label=_("用途"), max_length=200, required=False)


class RevokeConsentForm(forms.Form):
    reason = forms.CharField(label=_("撤销原因"), max_length=200)
