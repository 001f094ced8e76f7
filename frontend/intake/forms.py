from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TemplateForm(forms.Form):
    year = forms.IntegerField(label=_("年份"), min_value=2000, max_value=2100)
    month = forms.TypedChoiceField(
        label=_("月份"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", _("全年（12个月）"))] + [(m, f"{m}") for m in range(1, 13)],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class UploadForm(forms.Form):
    file = forms.FileField(label=_("已填写的模板（.xlsx）"))


class ConfirmForm(forms.Form):
    sha256 = forms.RegexField(regex=r"^[0-9a-f]{64}$", widget=forms.HiddenInput)
    name = forms.CharField(max_length=255, widget=forms.HiddenInput)
