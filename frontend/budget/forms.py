from django import forms
from django.utils.translation import gettext_lazy as _

from steward.budget import services
from steward.budget.models import CarbonBudget
from steward.formatting import plain

TONNES = {"max_digits": 14, "decimal_places": 4, "min_value": 0}


class SetBudgetForm(forms.Form):
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=18)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    basis = forms.ChoiceField(label=_("预算依据"), choices=CarbonBudget.Basis.choices)
    intensity_target = forms.DecimalField(
        label=_("强度目标（tCO2/万元）"), max_digits=14, decimal_places=6, min_value=0, required=False
    )
    target_grade = forms.TypedChoiceField(
        label=_("目标碳效等级"), coerce=int, empty_value=None, required=False, choices=()
    )
    profile = forms.ChoiceField(label=_("进度分配"), choices=CarbonBudget.Profile.choices)
    note = forms.CharField(label=_("备注"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # the grades with an upper K bound (the worst grade cannot be a target), from the grading table in force
        self.fields["target_grade"].choices = [("", "—")] + [
            (
                band.grade,
                _("%(grade)s级（K ≤ %(k)s）") % {"grade": band.grade, "k": plain(band.upper_inclusive)},
            )
            for band in services.target_grades()
        ]


class AdjustmentRequestForm(forms.Form):
    requested_tco2 = forms.DecimalField(label=_("申请调整后预算（tCO2）"), **TONNES)
    reason = forms.CharField(label=_("申请理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(forms.Form):
    adjustment = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        label=_("决定"),
        choices=[("approved", _("批准")), ("refused", _("不予批准"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("决定理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
