"""Forms for the environmental pages: a permit change (new version) and a manual monitoring result."""

from django import forms
from django.utils.translation import gettext_lazy as _

from steward.pollution.models import ReportFrequency
from steward.pollution.pollutants import Pollutant

DECIMAL = {"max_digits": 24, "decimal_places": 8, "min_value": 0}


class PermitChangeForm(forms.Form):
    """Validity, report frequencies and permitted amounts; outlets and limits carry over to the new version."""

    valid_from = forms.DateField(label=_("有效期起"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(label=_("有效期止"), widget=forms.DateInput(attrs={"type": "date"}))
    report_frequencies = forms.MultipleChoiceField(
        label=_("执行报告频次"), choices=ReportFrequency.choices, widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(label=_("变更原因"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in Pollutant.choices:
            self.fields[f"amount_{code}"] = forms.DecimalField(
                label=_("%(p)s 许可排放量（t/a）") % {"p": label}, required=False, **DECIMAL
            )

    def permitted_amounts(self) -> dict:
        return {
            code: self.cleaned_data[f"amount_{code}"]
            for code in Pollutant.values
            if self.cleaned_data.get(f"amount_{code}") is not None
        }


class ManualResultForm(forms.Form):
    outlet_code = forms.ChoiceField(label=_("排放口"))
    pollutant = forms.ChoiceField(label=_("污染物"), choices=Pollutant.choices)
    sampled_on = forms.DateField(label=_("采样日期"), widget=forms.DateInput(attrs={"type": "date"}))
    concentration = forms.DecimalField(label=_("浓度（mg/m3 或 mg/L）"), **DECIMAL)
    flow = forms.DecimalField(label=_("流量（m3/h 或 m3/d）"), **DECIMAL)
    report_number = forms.CharField(label=_("报告编号"), max_length=60)
    file = forms.FileField(label=_("监测报告"))

    def __init__(self, *args, outlets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outlet_code"].choices = [(o.code, f"{o.code} {o.name}") for o in outlets]
