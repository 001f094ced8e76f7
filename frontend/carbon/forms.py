"""Forms for carbon accounting pages. Percentages are entered as people read lab reports (52.30 %)."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from steward.carbon.models import DataSource, EmissionSource, Facility, LabReport, OutputRecord
from steward.carbon.parameter_sets import sector_specs
from steward.carbon.units import DIMENSIONS
from steward.factors.shipped import fuel_choices

DECIMAL = {"max_digits": 24, "decimal_places": 8, "min_value": 0}


def unit_choices(*dimensions: str) -> list[tuple[str, str]]:
    return [(unit, unit) for dimension in dimensions for unit in DIMENSIONS[dimension].factors]


class FacilityForm(forms.Form):
    code = forms.CharField(label=_("设施编号"), max_length=40)
    name = forms.CharField(label=_("设施名称"), max_length=120)
    kind = forms.ChoiceField(label=_("设施类型"), choices=Facility.Kind.choices)


class SourceForm(forms.Form):
    facility = forms.ModelChoiceField(label=_("所属设施"), queryset=Facility.objects.all())
    code = forms.CharField(label=_("排放源编号"), max_length=40)
    name = forms.CharField(label=_("排放源名称"), max_length=120)
    kind = forms.ChoiceField(label=_("排放源类别"), choices=EmissionSource.Kind.choices)
    fuel_code = forms.ChoiceField(
        label=_("燃料品种"),
        required=False,
        choices=lambda: (
            [("", _("（非燃料燃烧源）"))] + [(code, gettext(name)) for code, name in fuel_choices()]
        ),
        help_text=_("燃料燃烧源选择燃料品种，缺省因子按此取用"),
    )
    unit = forms.ChoiceField(
        label=_("活动数据单位"), choices=unit_choices("mass", "gas_volume", "electricity", "heat")
    )


class ActivityForm(forms.Form):
    quantity = forms.DecimalField(label=_("活动数据"), **DECIMAL)
    unit = forms.ChoiceField(
        label=_("单位"), choices=unit_choices("mass", "gas_volume", "electricity", "heat")
    )
    data_source = forms.ChoiceField(label=_("数据来源"), choices=DataSource.choices)
    ncv = forms.DecimalField(label=_("低位发热量"), required=False, **DECIMAL)
    ncv_unit = forms.ChoiceField(
        label=_("发热量单位"), required=False, choices=unit_choices("ncv_mass", "ncv_gas")
    )
    carbon_content_ar = forms.DecimalField(label=_("收到基元素碳含量（%）"), required=False, **DECIMAL)
    oxidation_rate = forms.DecimalField(label=_("碳氧化率（%）"), required=False, **DECIMAL)
    clinker_cao = forms.DecimalField(label=_("熟料CaO含量（%）"), required=False, **DECIMAL)
    clinker_mgo = forms.DecimalField(label=_("熟料MgO含量（%）"), required=False, **DECIMAL)
    noncarbonate_cao = forms.DecimalField(label=_("非碳酸盐CaO含量（%）"), required=False, **DECIMAL)
    noncarbonate_mgo = forms.DecimalField(label=_("非碳酸盐MgO含量（%）"), required=False, **DECIMAL)
    # Cement (CETS-AG-02.01-V01-2024): the dust leaving the kiln system and the raw meal, in tonnes; the raw meal's
    # non-fuel carbon in %; the clinker facility's part of the purchased electricity in the row's unit.
    kiln_dust = forms.DecimalField(label=_("窑头粉尘量（t）"), required=False, **DECIMAL)
    bypass_dust = forms.DecimalField(label=_("旁路放风粉尘量（t）"), required=False, **DECIMAL)
    raw_meal = forms.DecimalField(label=_("生料消耗量（t）"), required=False, **DECIMAL)
    raw_meal_carbon = forms.DecimalField(label=_("生料非燃料碳含量（%）"), required=False, **DECIMAL)
    clinker_facility_electricity = forms.DecimalField(
        label=_("其中：熟料生产设施用电量"),
        required=False,
        help_text=_("与净购入电力同一单位"),
        **DECIMAL,
    )
    lab_report = forms.ModelChoiceField(
        label=_("检测报告"),
        queryset=LabReport.objects.order_by("-sampling_end"),
        required=False,
        help_text=_("实测参数所依据的检测报告（先在下方上传）"),
    )
    reason = forms.CharField(label=_("更正原因"), max_length=300, required=False)
    # The version this tab showed (0: none yet): a correction of an older version is refused, not stacked.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0, max_value=10**6)

    PERCENT_FIELDS = (
        "carbon_content_ar",
        "oxidation_rate",
        "clinker_cao",
        "clinker_mgo",
        "noncarbonate_cao",
        "noncarbonate_mgo",
        "raw_meal_carbon",
    )
    TONNE_FIELDS = ("kiln_dust", "bypass_dust", "raw_meal")
    ACTIVITY_UNIT_FIELDS = ("clinker_facility_electricity",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The other sectors' process parameters, from their parameter sets, each in its fixed unit.
        for name, spec in sector_specs().items():
            label = gettext("%(label)s（%(unit)s）") % {"label": spec.label, "unit": spec.unit}
            self.fields[name] = forms.DecimalField(label=label, required=False, **DECIMAL)

    @staticmethod
    def fixed_units() -> dict[str, str]:
        """The unit each sector parameter field is entered in."""
        return {name: spec.unit for name, spec in sector_specs().items()}

    def parameter_fields(self, specs) -> list:
        """The bound fields of a source's parameter set, in its order (a heating value with its unit)."""
        fields = []
        for spec in specs:
            fields.append(self[spec.name])
            if spec.name == "ncv":
                fields.append(self["ncv_unit"])
        return fields


class OutputForm(forms.Form):
    kind = forms.ChoiceField(label=_("产出类别"), choices=OutputRecord.Kind.choices)
    value = forms.DecimalField(label=_("数值"), **DECIMAL)
    unit = forms.ChoiceField(label=_("单位"), choices=unit_choices("electricity", "heat", "mass", "time"))
    reason = forms.CharField(label=_("更正原因"), max_length=300, required=False)


class RecomputeForm(forms.Form):
    reason = forms.CharField(label=_("重新计算原因"), max_length=300)


class LabReportForm(forms.Form):
    file = forms.FileField(label=_("报告文件（PDF）"))
    lab_name = forms.CharField(label=_("检测机构"), max_length=120)
    accreditation = forms.ChoiceField(label=_("资质类型"), choices=LabReport.Accreditation.choices)
    accreditation_number = forms.CharField(label=_("资质证书编号"), max_length=40)
    report_number = forms.CharField(label=_("报告编号"), max_length=60)
    sampling_start = forms.DateField(label=_("采样开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    sampling_end = forms.DateField(label=_("采样结束日期"), widget=forms.DateInput(attrs={"type": "date"}))


class FuelStockForm(forms.Form):
    source = forms.ModelChoiceField(
        label=_("燃料"), queryset=EmissionSource.objects.filter(kind=EmissionSource.Kind.FUEL_COMBUSTION)
    )
    opening_stock = forms.DecimalField(label=_("期初库存"), **DECIMAL)
    receipts = forms.DecimalField(label=_("本月购入（入厂）"), **DECIMAL)
    closing_stock = forms.DecimalField(label=_("期末库存"), **DECIMAL)
    unit = forms.ChoiceField(label=_("单位"), choices=unit_choices("mass", "gas_volume"))
    upload = forms.FileField(label=_("购销存台账（可选）"), required=False)
    reason = forms.CharField(label=_("更正原因"), max_length=300, required=False)


class ElectricityBillForm(forms.Form):
    source = forms.ModelChoiceField(
        label=_("外购电力"),
        queryset=EmissionSource.objects.filter(kind=EmissionSource.Kind.PURCHASED_ELECTRICITY),
    )
    bill_number = forms.CharField(label=_("结算单号"), max_length=60)
    billed_quantity = forms.DecimalField(label=_("结算电量"), **DECIMAL)
    unit = forms.ChoiceField(label=_("单位"), choices=unit_choices("electricity"))
    upload = forms.FileField(label=_("电费结算单"), required=False)
    reason = forms.CharField(label=_("更正原因"), max_length=300, required=False)
