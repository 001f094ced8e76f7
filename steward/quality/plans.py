"""Revising the data-quality control plan (数据质量控制计划) and registering meters.

A plan is never edited: a revision is version n+1 with its reason and the month it takes effect
(DOMAIN.md §1.6), and the checks of a month use the version in force on its first day. A revision may not
take effect before the latest version does, so the plan that applied to months already checked stays the same.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from steward.carbon.models import EmissionSource, MeasuredParameter, Meter
from steward.carbon.parameter_sets import sector_kind_parameters
from steward.evidence.services import store_evidence
from steward.history import attributed
from steward.quality.models import ControlPlanVersion, ParameterSpec

ACTIVITY = "quantity"  # the activity figure itself (consumption, purchased electricity …)
PLAN_PARAMETERS = {
    EmissionSource.Kind.FUEL_COMBUSTION: (ACTIVITY, "ncv", "carbon_content_ar", "oxidation_rate"),
    EmissionSource.Kind.CLINKER_PROCESS: (
        ACTIVITY,
        "clinker_cao",
        "clinker_mgo",
        "noncarbonate_cao",
        "noncarbonate_mgo",
    ),
    EmissionSource.Kind.PURCHASED_ELECTRICITY: (ACTIVITY,),
    EmissionSource.Kind.PURCHASED_HEAT: (ACTIVITY,),
} | {kind: (ACTIVITY, *names) for kind, names in sector_kind_parameters().items()}  # the other sectors' sets


def parameter_label(name: str) -> str:
    return _("活动数据") if name == ACTIVITY else str(MeasuredParameter.Name(name).label)


@dataclass(frozen=True)
class SpecInput:
    source: EmissionSource
    parameter: str
    method: str
    meter: Meter | None = None
    frequency: str = ""
    department: str = ""
    fallback_rule: str = ""


def _check_spec(spec: SpecInput) -> None:
    field = f"{spec.source.code}.{spec.parameter}"
    if spec.parameter not in PLAN_PARAMETERS.get(spec.source.kind, ()):
        raise ValidationError(
            {
                field: ValidationError(
                    _("该排放源没有参数 %(name)s。"),
                    code="unknown_parameter",
                    params={"name": spec.parameter},
                )
            }
        )
    if spec.method not in ParameterSpec.Method.values:
        raise ValidationError({field: ValidationError(_("未知的获取方式。"), code="unknown_method")})
    if spec.meter is not None and spec.meter.source_id != spec.source.pk:
        raise ValidationError(
            {field: ValidationError(_("计量器具不属于该排放源。"), code="meter_of_other_source")}
        )
    if spec.method == ParameterSpec.Method.MEASURED and not spec.fallback_rule.strip():
        raise ValidationError(
            {field: ValidationError(_("实测参数须写明数据缺失时的处理方式。"), code="fallback_required")}
        )


@attributed
@transaction.atomic
def revise_plan(
    *, effective_from: datetime.date, reason: str, specs: list[SpecInput], by
) -> ControlPlanVersion:
    """Add the next version of the plan, in force from the first day of `effective_from`'s month."""
    if not reason.strip():
        raise ValidationError({"reason": ValidationError(_("修订计划须说明原因。"), code="reason_required")})
    if not specs:
        raise ValidationError(_("计划至少包含一项参数。"), code="empty_plan")
    with connection.cursor() as cursor:  # one revision at a time, so version numbers never collide
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':control_plan'))")
    effective_from = effective_from.replace(day=1)
    latest = ControlPlanVersion.objects.order_by("-effective_from", "-version").first()
    if latest and effective_from < latest.effective_from:
        raise ValidationError(
            {
                "effective_from": ValidationError(
                    _("生效月份不能早于现行第%(version)s版（%(date)s起）。"),
                    code="before_latest",
                    params={"version": latest.version, "date": latest.effective_from},
                )
            }
        )
    for spec in specs:
        _check_spec(spec)
    number = (ControlPlanVersion.objects.aggregate(n=Max("version"))["n"] or 0) + 1
    plan = ControlPlanVersion.objects.create(
        version=number, effective_from=effective_from, revision_reason=reason.strip()[:300], created_by=by
    )
    ParameterSpec.objects.bulk_create(
        ParameterSpec(
            plan=plan,
            source=spec.source,
            parameter=spec.parameter,
            method=spec.method,
            meter=spec.meter,
            frequency=spec.frequency.strip()[:60],
            department=spec.department.strip()[:60],
            fallback_rule=spec.fallback_rule.strip()[:200],
        )
        for spec in specs
    )
    return plan


@attributed
@transaction.atomic
def register_meter(
    *,
    source: EmissionSource,
    name: str,
    serial_number: str,
    accuracy_class: str,
    calibrated_on: datetime.date,
    calibration_due_on: datetime.date,
    by,
    certificate=None,
) -> Meter:
    """Register a meter with its calibration validity (and the certificate, stored as evidence)."""
    if calibration_due_on <= calibrated_on:
        raise ValidationError(
            {"calibration_due_on": ValidationError(_("有效期须晚于检定/校准日期。"), code="dates")}
        )
    if Meter.objects.filter(source=source, serial_number=serial_number.strip()).exists():
        raise ValidationError({"serial_number": ValidationError(_("该出厂编号已登记。"), code="duplicate")})
    evidence = None
    if certificate is not None:
        evidence = store_evidence(
            upload=certificate,
            kind="meter_certificate",
            description=f"{name} {serial_number}",
            uploaded_by=by,
            scope="carbon",
        )
    return Meter.objects.create(
        source=source,
        name=name.strip(),
        serial_number=serial_number.strip(),
        accuracy_class=accuracy_class.strip(),
        calibrated_on=calibrated_on,
        calibration_due_on=calibration_due_on,
        certificate=evidence,
    )
