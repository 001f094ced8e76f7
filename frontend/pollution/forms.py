"""Forms for the environmental pages: first permit, outlets and limits, permit change (new version), source
links, CEMS certification and manual monitoring results."""

from django import forms
from django.utils.translation import gettext_lazy as _

from steward.carbon.models import EmissionSource
from steward.pollution.models import CemsCertification, Outlet, Permit, ReportFrequency
from steward.pollution.pollutants import CONCENTRATION_UNIT, MEDIUM_OF, Medium, Pollutant
from steward.pollution.services import LimitSpec, OutletSpec

AIR_POLLUTANTS = [p for p in Pollutant if MEDIUM_OF[p] == Medium.AIR]

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


class PermitRegisterForm(forms.Form):
    """The first permit: number, class, validity, report frequencies and permitted amounts (outlet separately)."""

    permit_number = forms.CharField(label=_("许可证编号"), max_length=40)
    management_class = forms.ChoiceField(label=_("管理类别"), choices=Permit.ManagementClass.choices)
    valid_from = forms.DateField(label=_("有效期起"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(label=_("有效期止"), widget=forms.DateInput(attrs={"type": "date"}))
    report_frequencies = forms.MultipleChoiceField(
        label=_("执行报告频次"), choices=ReportFrequency.choices, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in Pollutant.choices:
            self.fields[f"amount_{code}"] = forms.DecimalField(
                label=_("%(p)s 许可排放量（t/a）") % {"p": label}, required=False, **DECIMAL
            )

    def clean(self):
        data = super().clean()
        if data.get("valid_from") and data.get("valid_to") and data["valid_to"] <= data["valid_from"]:
            self.add_error("valid_to", _("有效期止须晚于有效期起。"))
        return data

    permitted_amounts = PermitChangeForm.permitted_amounts


class OutletForm(forms.Form):
    """One outlet with its concentration limits (air: hourly, water: daily averages). Entering the code of an
    existing outlet changes its limits; either way the permit gets a new version."""

    code = forms.RegexField(
        label=_("排放口编号"),
        regex=r"^[A-Za-z0-9-]{1,20}$",
        error_messages={"invalid": _("排放口编号只能包含字母、数字和连字符，如 DA001。")},
    )
    name = forms.CharField(label=_("排放口名称"), max_length=120)
    kind = forms.ChoiceField(label=_("排放口类型"), choices=Outlet.Kind.choices)
    medium = forms.ChoiceField(label=_("类别"), choices=Medium.choices)
    reference_oxygen_pct = forms.DecimalField(
        label=_("基准氧含量（%）"), required=False, max_digits=5, decimal_places=2, min_value=0, max_value=21
    )
    oxygen_corrected = forms.BooleanField(label=_("废气限值按基准氧含量折算"), required=False)

    def __init__(self, *args, with_reason: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in Pollutant.choices:
            unit = CONCENTRATION_UNIT[MEDIUM_OF[code]]
            self.fields[f"limit_{code}"] = forms.DecimalField(
                label=_("%(p)s 浓度限值（%(unit)s）") % {"p": label, "unit": unit},
                required=False,
                max_digits=24,
                decimal_places=8,
                min_value=0,
            )
        if with_reason:
            self.fields["reason"] = forms.CharField(label=_("变更原因"), max_length=300)

    def clean(self):
        data = super().clean()
        medium = data.get("medium")
        if medium is None:
            return data
        limits = {code: data.get(f"limit_{code}") for code in Pollutant.values}
        limits = {code: value for code, value in limits.items() if value is not None}
        for code, value in limits.items():
            if MEDIUM_OF[code] != medium:
                self.add_error(f"limit_{code}", _("该污染物不属于所选排放口类别。"))
            elif value <= 0:
                self.add_error(f"limit_{code}", _("浓度限值须大于 0。"))
        if not limits:
            self.add_error(None, _("请至少填写一项浓度限值。"))
        if medium == Medium.WATER and data.get("reference_oxygen_pct") is not None:
            self.add_error("reference_oxygen_pct", _("废水排放口不填写基准氧含量。"))
        if data.get("oxygen_corrected") and (
            medium != Medium.AIR or data.get("reference_oxygen_pct") is None
        ):
            self.add_error("reference_oxygen_pct", _("按基准氧含量折算时须填写基准氧含量。"))
        return data

    def outlet_spec(self) -> OutletSpec:
        data = self.cleaned_data
        averaging = "hour" if data["medium"] == Medium.AIR else "day"
        return OutletSpec(
            code=data["code"].upper(),
            name=data["name"],
            kind=data["kind"],
            medium=data["medium"],
            reference_oxygen_pct=data.get("reference_oxygen_pct"),
            limits=[
                LimitSpec(code, data[f"limit_{code}"], averaging, bool(data.get("oxygen_corrected")))
                for code in Pollutant.values
                if data.get(f"limit_{code}") is not None and MEDIUM_OF[code] == data["medium"]
            ],
        )


class SourceLinkForm(forms.Form):
    source = forms.ModelChoiceField(
        label=_("排放源（化石燃料燃烧）"),
        queryset=EmissionSource.objects.none(),
        error_messages={"invalid_choice": _("请选择化石燃料燃烧排放源。")},
    )
    outlet_code = forms.ChoiceField(label=_("排放口"))
    pollutant = forms.ChoiceField(label=_("污染物"), choices=[(p, p.label) for p in AIR_POLLUTANTS])
    control_technology = forms.CharField(label=_("治理设施"), max_length=80, required=False)
    removal_efficiency = forms.DecimalField(
        label=_("去除效率（0–1）"), max_digits=6, decimal_places=4, min_value=0, max_value=1, initial=0
    )
    operating_rate = forms.DecimalField(
        label=_("治理设施运行率（0–1）"), max_digits=6, decimal_places=4, min_value=0, max_value=1, initial=1
    )

    def __init__(self, *args, outlets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = EmissionSource.objects.filter(
            kind=EmissionSource.Kind.FUEL_COMBUSTION
        ).order_by("code")
        self.fields["source"].label_from_instance = lambda s: f"{s.code} {s.name}"
        self.fields["outlet_code"].choices = [
            (o.code, f"{o.code} {o.name}") for o in outlets if o.medium == "air"
        ]


class CemsForm(forms.Form):
    outlet_code = forms.ChoiceField(label=_("排放口"))
    standard = forms.ChoiceField(label=_("技术规范"), choices=CemsCertification.Standard.choices)
    valid_from = forms.DateField(label=_("有效期起"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(label=_("有效期止"), widget=forms.DateInput(attrs={"type": "date"}))
    file = forms.FileField(label=_("验收/比对报告（可选）"), required=False)

    def __init__(self, *args, outlets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outlet_code"].choices = [(o.code, f"{o.code} {o.name}") for o in outlets]

    def clean(self):
        data = super().clean()
        if data.get("valid_from") and data.get("valid_to") and data["valid_to"] < data["valid_from"]:
            self.add_error("valid_to", _("有效期止须不早于有效期起。"))
        return data
