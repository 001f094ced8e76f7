from django import forms
from django.utils.translation import gettext_lazy as _

from steward.register.models import FeedBatch


class FeedForm(forms.Form):
    kind = forms.ChoiceField(label=_("数据来源"), choices=FeedBatch.Kind.choices)
    source = forms.CharField(label=_("报送单位"), max_length=120)
    year = forms.IntegerField(label=_("年份"), min_value=2000, max_value=2100)
    month = forms.IntegerField(
        label=_("月份"), min_value=1, max_value=12, required=False, help_text=_("为空表示全年")
    )


class UploadForm(FeedForm):
    file = forms.FileField(label=_("文件（CSV 或 XLSX）"))


class ConfirmForm(FeedForm):
    sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)
    name = forms.CharField(widget=forms.HiddenInput, max_length=255)
