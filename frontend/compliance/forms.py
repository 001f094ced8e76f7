"""Forms for the compliance pages: an allocation notice and a year's value added, each with its evidence."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from steward.compliance.allocation import CorrectionFactor
from steward.compliance.models import Allocation
from steward.compliance.reference.models import AllocationBenchmark, ReferenceRelease
from steward.formatting import plain

DECIMAL = {"max_digits": 20, "decimal_places": 6, "min_value": 0}


def _current_benchmarks():
    release = ReferenceRelease.objects.first()
    return release.benchmarks.all() if release else AllocationBenchmark.objects.none()


class BenchmarkChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        status = _("待核实") if obj.status == "to_verify" else _("已核实")
        return (
            f"{obj.benchmark_set} · {gettext(obj.label)} · {plain(obj.supply_benchmark)} tCO2/MWh（{status}）"
        )


class AllocationForm(forms.Form):
    stage = forms.ChoiceField(label=_("阶段"), choices=Allocation.Stage.choices)
    benchmark = BenchmarkChoiceField(label=_("基准值"), queryset=AllocationBenchmark.objects.none())
    output_mwh = forms.DecimalField(label=_("电量（MWh，按当年分配基础）"), **DECIMAL)
    heat_supplied_gj = forms.DecimalField(label=_("供热量（GJ）"), initial=0, **DECIMAL)
    corrections = forms.CharField(
        label=_("修正系数"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一个：名称=数值，如 冷却方式修正系数=1.0"),
    )
    carried_in = forms.DecimalField(label=_("结转配额（t）"), initial=0, **DECIMAL)
    evidence_file = forms.FileField(label=_("配额分配通知（文件）"), required=False)
    reason = forms.CharField(label=_("更正原因"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["benchmark"].queryset = _current_benchmarks()

    def clean_corrections(self) -> tuple[CorrectionFactor, ...]:
        factors = []
        for line in self.cleaned_data["corrections"].splitlines():
            if not line.strip():
                continue
            name, sep, value = line.partition("=")
            try:
                number = Decimal(value.strip())
            except ArithmeticError:
                number = None
            if not sep or not name.strip() or number is None or number <= 0:
                raise ValidationError(
                    _("无法识别的修正系数：%(line)s"), code="correction", params={"line": line}
                )
            factors.append(CorrectionFactor(name.strip(), number))
        return tuple(factors)


class ValueAddedForm(forms.Form):
    value_added_10k_cny = forms.DecimalField(label=_("工业增加值（万元，收入法）"), **DECIMAL)
    zero_carbon_t = forms.DecimalField(label=_("自发零碳电力抵扣（tCO2）"), initial=0, **DECIMAL)
    industry_average_l = forms.DecimalField(label=_("行业平均单位增加值碳排放（tCO2/万元）"), **DECIMAL)
    industry_average_source = forms.CharField(label=_("行业平均值来源"), max_length=200)
    evidence_file = forms.FileField(label=_("依据文件（统计或财务报表）"))
    reason = forms.CharField(label=_("更正原因"), max_length=300, required=False)
