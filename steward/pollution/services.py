"""Permit and monitoring use cases that write. Every row written here is append-only; a permit change is a new
version carrying its full content, with a reason and an author."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from steward import events
from steward.carbon.models import EmissionSource
from steward.evidence.models import EvidenceFile
from steward.evidence.services import store_evidence
from steward.pollution.deadlines import PERIODS
from steward.pollution.models import (
    CemsCertification,
    ConcentrationLimit,
    ManualMonitoring,
    Outlet,
    Permit,
    PermittedAmount,
    SourceOutlet,
)
from steward.pollution.pollutants import CONCENTRATION_UNIT, MEDIUM_OF, Pollutant
from steward.versioning import next_version


@dataclass(frozen=True)
class LimitSpec:
    pollutant: str
    limit: Decimal
    averaging: str = "hour"
    oxygen_corrected: bool = False


@dataclass(frozen=True)
class OutletSpec:
    code: str
    name: str
    kind: str
    medium: str
    reference_oxygen_pct: Decimal | None = None
    limits: list[LimitSpec] = field(default_factory=list)


@dataclass(frozen=True)
class PermitSpec:
    permit_number: str
    management_class: str
    valid_from: datetime.date
    valid_to: datetime.date
    report_frequencies: list[str]
    outlets: list[OutletSpec]
    permitted_amounts: dict[str, Decimal]


def spec_from(permit: Permit, **changes) -> PermitSpec:
    """The full content of a permit version as a spec, with `changes` applied (the base of a change)."""
    outlets = [
        OutletSpec(
            outlet.code,
            outlet.name,
            outlet.kind,
            outlet.medium,
            outlet.reference_oxygen_pct,
            [
                LimitSpec(lim.pollutant, lim.limit, lim.averaging, lim.oxygen_corrected)
                for lim in outlet.limits.all()
            ],
        )
        for outlet in permit.outlets.prefetch_related("limits")
    ]
    spec = {
        "permit_number": permit.permit_number,
        "management_class": permit.management_class,
        "valid_from": permit.valid_from,
        "valid_to": permit.valid_to,
        "report_frequencies": list(permit.report_frequencies),
        "outlets": outlets,
        "permitted_amounts": {a.pollutant: a.tonnes_per_year for a in permit.permitted_amounts.all()},
    }
    return PermitSpec(**(spec | changes))


def current_permit() -> Permit | None:
    return Permit.objects.filter(superseded_by__isnull=True).order_by("-version").first()


def with_outlet(spec: PermitSpec, outlet: OutletSpec) -> PermitSpec:
    """`spec` with `outlet` added, or replacing the outlet of the same code (its limits change)."""
    others = [o for o in spec.outlets if o.code != outlet.code]
    return PermitSpec(**(spec.__dict__ | {"outlets": sorted([*others, outlet], key=lambda o: o.code)}))


def _check_spec(spec: PermitSpec) -> None:
    errors = []
    if not spec.permit_number.strip():
        errors.append(_("须填写许可证编号。"))
    if spec.management_class not in Permit.ManagementClass.values:
        errors.append(_("管理类别无效。"))
    if not spec.outlets:
        errors.append(_("许可证须至少登记一个排放口。"))
    codes = [outlet.code for outlet in spec.outlets]
    if len(set(codes)) != len(codes):
        errors.append(_("排放口编号不能重复。"))
    if spec.valid_to <= spec.valid_from:
        errors.append(_("有效期止须晚于有效期起。"))
    unknown = [f for f in spec.report_frequencies if f not in PERIODS]
    if unknown or not spec.report_frequencies:
        errors.append(_("执行报告频次须为月报、季报、半年报或年报中的一种或几种。"))
    for outlet in spec.outlets:
        if outlet.kind not in Outlet.Kind.values or outlet.medium not in MEDIUM_OF.values():
            errors.append(_("排放口 %(code)s：类型或类别无效。") % {"code": outlet.code})
            continue
        for limit in outlet.limits:
            if limit.limit <= 0:
                errors.append(
                    _("排放口 %(code)s：%(p)s 浓度限值须大于 0。")
                    % {"code": outlet.code, "p": limit.pollutant}
                )
            if limit.pollutant not in Pollutant.values:
                errors.append(
                    _("排放口 %(code)s：未知污染物 %(p)s。") % {"code": outlet.code, "p": limit.pollutant}
                )
            elif MEDIUM_OF[limit.pollutant] != outlet.medium:
                errors.append(
                    _("排放口 %(code)s：%(p)s 不属于该排放口的类别。")
                    % {"code": outlet.code, "p": limit.pollutant}
                )
            if limit.oxygen_corrected and outlet.reference_oxygen_pct is None:
                errors.append(_("排放口 %(code)s：折算基准氧含量须填写基准氧含量。") % {"code": outlet.code})
    for pollutant, amount in spec.permitted_amounts.items():
        if pollutant not in Pollutant.values or amount < 0:
            errors.append(_("许可排放量 %(p)s 无效。") % {"p": pollutant})
    if errors:
        raise ValidationError(errors, code="invalid_permit")


def _write(spec: PermitSpec, *, by, version: int, supersedes: Permit | None, reason: str) -> Permit:
    _check_spec(spec)
    permit = Permit.objects.create(
        permit_number=spec.permit_number,
        version=version,
        supersedes=supersedes,
        change_reason=reason,
        management_class=spec.management_class,
        valid_from=spec.valid_from,
        valid_to=spec.valid_to,
        report_frequencies=list(spec.report_frequencies),
        entered_by=by,
    )
    for outlet_spec in spec.outlets:
        outlet = Outlet.objects.create(
            permit=permit,
            code=outlet_spec.code,
            name=outlet_spec.name,
            kind=outlet_spec.kind,
            medium=outlet_spec.medium,
            reference_oxygen_pct=outlet_spec.reference_oxygen_pct,
        )
        ConcentrationLimit.objects.bulk_create(
            ConcentrationLimit(
                outlet=outlet,
                pollutant=limit.pollutant,
                limit=limit.limit,
                unit=CONCENTRATION_UNIT[outlet_spec.medium],
                averaging=limit.averaging,
                oxygen_corrected=limit.oxygen_corrected,
            )
            for limit in outlet_spec.limits
        )
    PermittedAmount.objects.bulk_create(
        PermittedAmount(permit=permit, pollutant=pollutant, tonnes_per_year=amount)
        for pollutant, amount in spec.permitted_amounts.items()
    )
    return permit


@transaction.atomic
def register_permit(*, spec: PermitSpec, by) -> Permit:
    if Permit.objects.exists():
        raise ValidationError(_("已登记排污许可证；变更请登记新版本并说明原因。"), code="exists")
    permit = _write(spec, by=by, version=1, supersedes=None, reason="")
    events.publish("permit.registered", permit)  # exceedances are judged against the current permit
    return permit


@transaction.atomic
def change_permit(*, permit: Permit, spec: PermitSpec, reason: str, by) -> Permit:
    """A permit change (变更/延续) is version n+1 with its full content; version n stays readable."""
    permit = Permit.objects.select_for_update().get(pk=permit.pk)
    if hasattr(permit, "superseded_by"):
        raise ValidationError(_("该版本已被更新，请在最新版本上变更。"), code="stale")
    new = next_version(permit, reason, by, message=_("许可证变更须说明原因。"))
    permit = _write(spec, by=by, version=new.version, supersedes=permit, reason=new.reason)
    events.publish("permit.changed", permit)
    return permit


def _current_outlet(outlet_code: str) -> Outlet:
    permit = current_permit()
    outlet = permit.outlets.filter(code=outlet_code).first() if permit else None
    if outlet is None:
        raise ValidationError(
            _("排放口 %(code)s 不在现行许可证中。") % {"code": outlet_code}, code="unknown_outlet"
        )
    return outlet


def link_source(
    *,
    source: EmissionSource,
    outlet_code: str,
    pollutant: str,
    by,
    control_technology: str = "",
    removal_efficiency: Decimal = Decimal(0),
    operating_rate: Decimal = Decimal(1),
) -> SourceOutlet:
    """Fuel burned in a carbon-side source leaves through this outlet (entered once, used by both regimes)."""
    if source.kind != EmissionSource.Kind.FUEL_COMBUSTION:
        raise ValidationError(_("只有化石燃料燃烧排放源可关联排放口。"), code="not_combustion")
    outlet = _current_outlet(outlet_code)
    if pollutant not in Pollutant.values or MEDIUM_OF[pollutant] != outlet.medium:
        raise ValidationError(
            _("排放口 %(code)s：%(p)s 不属于该排放口的类别。") % {"code": outlet_code, "p": pollutant},
            code="pollutant",
        )
    if not (0 <= removal_efficiency <= 1 and 0 <= operating_rate <= 1):
        raise ValidationError(_("去除效率和运行率须在 0 到 1 之间。"), code="fraction")
    if SourceOutlet.objects.filter(source=source, outlet_code=outlet_code, pollutant=pollutant).exists():
        raise ValidationError(_("该排放源已关联此排放口的该污染物。"), code="duplicate")
    return SourceOutlet.objects.create(
        source=source,
        outlet_code=outlet_code,
        pollutant=pollutant,
        control_technology=control_technology,
        removal_efficiency=removal_efficiency,
        operating_rate=operating_rate,
        entered_by=by,
    )


@transaction.atomic
def certify_cems(
    *,
    outlet_code: str,
    standard: str,
    valid_from,
    valid_to,
    by,
    evidence: EvidenceFile | None = None,
    evidence_upload: UploadedFile | None = None,
) -> CemsCertification:
    """Mark an outlet's CEMS as meeting its standard. A certificate given as `evidence_upload` is stored here,
    after the checks and in the same transaction, so a refused certification leaves no file behind."""
    if valid_to < valid_from:
        raise ValidationError(_("有效期止须不早于有效期起。"), code="dates")
    outlet = _current_outlet(outlet_code)
    expected = {"air": CemsCertification.Standard.HJ75, "water": CemsCertification.Standard.HJ355}[
        outlet.medium
    ]
    if standard != expected:
        raise ValidationError(
            _("排放口 %(code)s 的自动监测系统应符合 %(std)s。") % {"code": outlet_code, "std": expected},
            code="standard",
        )
    if evidence_upload is not None:
        evidence = store_evidence(
            upload=evidence_upload,
            kind="meter_certificate",
            description=f"{outlet_code} {standard}",
            uploaded_by=by,
            scope="environmental",
        )
    return CemsCertification.objects.create(
        outlet_code=outlet_code,
        standard=standard,
        valid_from=valid_from,
        valid_to=valid_to,
        evidence=evidence,
        marked_by=by,
    )


@transaction.atomic
def record_manual_result(
    *,
    outlet_code: str,
    pollutant: str,
    sampled_on: datetime.date,
    concentration: Decimal,
    flow: Decimal,
    report_number: str,
    evidence: EvidenceFile | None = None,
    evidence_upload: UploadedFile | None = None,
    by,
) -> ManualMonitoring:
    """A manual monitoring result always cites its lab report: stored evidence, or `evidence_upload`, stored
    here after the checks and in the same transaction (a refused result leaves no file behind)."""
    if concentration < 0 or flow < 0:
        raise ValidationError(_("浓度和流量不能为负。"), code="negative")
    if not report_number.strip():
        raise ValidationError(_("须填写监测报告编号。"), code="report_number")
    if evidence is None and evidence_upload is None:
        raise ValidationError(_("请上传监测报告。"), code="evidence_required")
    if evidence_upload is not None:
        evidence = store_evidence(
            upload=evidence_upload,
            kind="monitoring_report",
            description=report_number.strip(),
            uploaded_by=by,
            scope="environmental",
        )
    result = ManualMonitoring.objects.create(
        outlet_code=outlet_code,
        pollutant=pollutant,
        sampled_on=sampled_on,
        concentration=concentration,
        flow=flow,
        report_number=report_number.strip(),
        evidence=evidence,
        entered_by=by,
    )
    events.publish("pollution.manual_result_recorded", result)  # actual emissions and permitted-amount use
    return result
