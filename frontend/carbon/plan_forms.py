"""Forms for the data-quality control plan page: a revision (one row per source parameter) and a meter."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from steward.carbon.models import EmissionSource
from steward.quality.models import ControlPlanVersion, ParameterSpec
from steward.quality.plans import PLAN_PARAMETERS, SpecInput, parameter_label

DATE = {"widget": forms.DateInput(attrs={"type": "date"})}
ROW_FIELDS = ("method", "meter", "frequency", "department", "fallback_rule")


class PlanRevisionForm(forms.Form):
    """Each (source, parameter) row starts from the version given (the one in force), so a revision edits a copy."""

    effective_month = forms.CharField(
        label=_("生效月份"), widget=forms.DateInput(attrs={"type": "month"}), help_text=_("自该月1日起适用")
    )
    reason = forms.CharField(label=_("修订原因"), max_length=300)

    def __init__(self, *args, base: ControlPlanVersion | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        existing = {(s.source_id, s.parameter): s for s in base.specs.all()} if base else {}
        self.rows = []
        for source in EmissionSource.objects.select_related("facility").prefetch_related("meters"):
            for parameter in PLAN_PARAMETERS.get(source.kind, ()):
                key = f"p{source.pk}_{parameter}"
                spec = existing.get((source.pk, parameter))
                self.fields[f"{key}_method"] = forms.ChoiceField(
                    choices=[("", _("不在计划中"))] + list(ParameterSpec.Method.choices),
                    required=False,
                    initial=spec.method if spec else "",
                )
                self.fields[f"{key}_meter"] = forms.ModelChoiceField(
                    queryset=source.meters.all(), required=False, initial=spec.meter_id if spec else None
                )
                for name, length in (("frequency", 60), ("department", 60), ("fallback_rule", 200)):
                    self.fields[f"{key}_{name}"] = forms.CharField(
                        max_length=length, required=False, initial=getattr(spec, name, "")
                    )
                self.rows.append(
                    {
                        "source": source,
                        "parameter": parameter,
                        "label": parameter_label(parameter),
                        "fields": [self[f"{key}_{name}"] for name in ROW_FIELDS],
                        "key": key,
                    }
                )

    def clean_effective_month(self):
        import datetime

        value = self.cleaned_data["effective_month"]
        try:
            return datetime.date.fromisoformat(f"{value}-01")
        except ValueError as error:
            raise forms.ValidationError(_("请按 年-月 填写生效月份。"), code="invalid") from error

    def specs(self) -> list[SpecInput]:
        data = self.cleaned_data
        return [
            SpecInput(
                source=row["source"],
                parameter=row["parameter"],
                method=data[f"{row['key']}_method"],
                meter=data[f"{row['key']}_meter"],
                frequency=data[f"{row['key']}_frequency"],
                department=data[f"{row['key']}_department"],
                fallback_rule=data[f"{row['key']}_fallback_rule"],
            )
            for row in self.rows
            if data.get(f"{row['key']}_method")
        ]


class MeterForm(forms.Form):
    source = forms.ModelChoiceField(label=_("排放源"), queryset=EmissionSource.objects.all())
    name = forms.CharField(label=_("计量器具名称"), max_length=120)
    serial_number = forms.CharField(label=_("出厂编号"), max_length=60)
    accuracy_class = forms.CharField(label=_("准确度等级"), max_length=20, required=False)
    calibrated_on = forms.DateField(label=_("最近检定/校准日期"), **DATE)
    calibration_due_on = forms.DateField(label=_("下次检定/校准日期"), **DATE)
    certificate = forms.FileField(label=_("检定/校准证书（可选）"), required=False)
