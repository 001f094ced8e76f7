"""Writing allocation and value-added records: first versions and corrections (version n+1 with a reason)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from steward import events
from steward.carbon.trace import plain
from steward.compliance.allocation import (
    AllocationInput,
    CorrectionFactor,
    allocate,
    allocate_intensity,
    allocate_verified,
    pre_allocate_share,
)
from steward.compliance.models import Allocation, ValueAddedRecord
from steward.compliance.reference.models import AllocationBenchmark, AllocationRule, CompliancePolicy
from steward.evidence.services import store_evidence
from steward.versioning import next_version


def _latest(rows, **filters):
    return rows.filter(**filters).order_by("-version").first()


def _new_version(current, reason: str, by) -> dict:
    """The version fields of a new allocation or value-added record (a correction says why)."""
    return next_version(
        current, reason, by, field="reason", message=_("更正已有记录时必须说明原因。")
    ).fields()


@transaction.atomic
def record_allocation(
    *,
    year: int,
    stage: str,
    benchmark: AllocationBenchmark,
    policy: CompliancePolicy,
    output_mwh: Decimal,
    heat_supplied_gj: Decimal = Decimal(0),
    corrections: tuple[CorrectionFactor, ...] = (),
    carried_in: Decimal = Decimal(0),
    evidence=None,
    evidence_upload: UploadedFile | None = None,
    reason: str = "",
    entered_by,
) -> Allocation:
    """Compute and store the allocation of `year` at `stage`; a second call corrects it (reason required).
    The allocation notice given as `evidence_upload` is stored after the checks, in the same transaction."""
    if policy.compliance_year != year:
        raise ValidationError({"policy": _("履约规则年度与配额年度不一致。")}, code="policy_year")
    if policy.sector != CompliancePolicy.Sector.POWER:
        raise ValidationError(
            {
                "policy": ValidationError(
                    _("该行业不按发电机组基准值法分配，请按本行业分配规则录入。"), code="wrong_method"
                )
            }
        )
    if stage not in Allocation.Stage.values:
        raise ValidationError({"stage": _("未知的分配阶段。")}, code="unknown_stage")
    if output_mwh < 0 or heat_supplied_gj < 0 or carried_in < 0:
        raise ValidationError({"output_mwh": _("电量、供热量和结转配额不能为负。")}, code="negative")
    current = _latest(Allocation.objects.select_for_update(), year=year, stage=stage)
    version = _new_version(current, reason, entered_by)
    if evidence_upload is not None:
        evidence = store_evidence(
            upload=evidence_upload,
            kind="other",
            description=_("%(year)s年度配额分配通知") % {"year": year},
            uploaded_by=entered_by,
            scope="carbon",
        )
    result = allocate(
        AllocationInput(
            benchmark=benchmark.supply_benchmark,
            output_mwh=output_mwh,
            heat_benchmark=benchmark.heat_benchmark,
            heat_supplied_gj=heat_supplied_gj,
            corrections=corrections,
        )
    )
    allocation = Allocation.objects.create(
        year=year,
        stage=stage,
        **version,
        evidence=evidence,
        entered_by=entered_by,
        unit_category=benchmark.unit_category,
        is_gas_unit=benchmark.is_gas,
        output_basis=policy.output_basis,
        output_mwh=output_mwh,
        heat_supplied_gj=heat_supplied_gj,
        benchmark_set=benchmark.benchmark_set,
        benchmark=benchmark.supply_benchmark,
        heat_benchmark=benchmark.heat_benchmark,
        benchmark_status=benchmark.status,
        corrections=[{"name": f.name, "value": plain(f.value)} for f in corrections],
        carried_in=carried_in,
        allocated=result.allocated_t,
        trace=result.trace,
    )
    events.publish("compliance.changed", allocation)  # position and grade in the read model
    return allocation


def _verified_direct(year: int, policy: CompliancePolicy, stated: Decimal | None = None) -> Decimal:
    """The year's verified emissions in the policy's scope; refused while the year is not complete, unless the
    figure is `stated` from the verification conclusion of a year the platform does not hold (a year it holds
    must agree)."""
    from steward.compliance import selectors

    basis = selectors.verified_emissions(year, policy.emissions_scope)
    if stated is not None:
        if stated < 0:
            raise ValidationError(
                {"verified_tco2": ValidationError(_("核查排放量不能为负。"), code="negative")}
            )
        if basis.complete and basis.total != stated:
            raise ValidationError(
                {
                    "verified_tco2": ValidationError(
                        _("录入的核查排放量 %(stated)s 与平台已核定的 %(held)s 不一致。"),
                        code="mismatch",
                        params={"stated": stated, "held": basis.total},
                    )
                }
            )
        return stated
    if not basis.complete:
        raise ValidationError(
            {
                "basis_tco2": ValidationError(
                    _("%(year)s年度排放尚未核定（需已通过的年度报告或十二个月均已锁定）。"),
                    code="year_not_verified",
                    params={"year": year},
                )
            }
        )
    return basis.total


@transaction.atomic
def record_sector_allocation(
    *,
    year: int,
    stage: str,
    rule: AllocationRule,
    policy: CompliancePolicy,
    output: Decimal | None = None,
    benchmark: Decimal | None = None,
    verified_tco2: Decimal | None = None,
    carried_in: Decimal = Decimal(0),
    evidence=None,
    reason: str = "",
    entered_by,
) -> Allocation:
    """Steel, cement and aluminium (2024–2025 plan): the allocation the rule prescribes, computed from the
    verified emissions of this or last year (`verified_tco2`: as stated in the verification conclusion, for a
    year before the enterprise used the platform), or from output × the notice's intensity benchmark."""
    if (
        rule.year != year
        or rule.stage != stage
        or policy.compliance_year != year
        or policy.sector != rule.sector
    ):
        raise ValidationError(
            {"rule": ValidationError(_("分配规则与年度、阶段或行业不一致。"), code="rule_mismatch")}
        )
    if carried_in < 0:
        raise ValidationError({"carried_in": ValidationError(_("结转配额不能为负。"), code="negative")})
    basis = None
    if rule.method == AllocationRule.Method.VERIFIED:
        basis = _verified_direct(year, policy, verified_tco2)
        result = allocate_verified(basis)
    elif rule.method == AllocationRule.Method.SHARE_OF_PREVIOUS:
        basis = _verified_direct(year - 1, policy, verified_tco2)
        result = pre_allocate_share(basis, rule.share)
    elif rule.method == AllocationRule.Method.INTENSITY:
        errors = {}
        if output is None or output < 0:
            errors["output"] = ValidationError(_("请填写不为负的产量。"), code="required")
        if benchmark is None or benchmark <= 0:
            errors["benchmark"] = ValidationError(_("请按配额通知填写强度基准值。"), code="required")
        if errors:
            raise ValidationError(errors)
        result = allocate_intensity(output, rule.output_unit, benchmark)
    else:
        raise ValidationError({"rule": ValidationError(_("该规则须用基准值法录入。"), code="wrong_method")})
    current = _latest(Allocation.objects.select_for_update(), year=year, stage=stage)
    version = _new_version(current, reason, entered_by)
    allocation = Allocation.objects.create(
        year=year,
        stage=stage,
        sector=rule.sector,
        method=rule.method,
        basis_tco2=basis,
        **version,
        evidence=evidence,
        entered_by=entered_by,
        unit_category=rule.line_category,
        output_basis=policy.output_basis,
        output_mwh=output if output is not None else Decimal(0),
        output_unit=rule.output_unit or "t",
        benchmark_set=f"{rule.sector}-{rule.year}-{rule.stage}",
        benchmark=benchmark or Decimal(0),
        heat_benchmark=Decimal(0),
        benchmark_status=rule.status,
        carried_in=carried_in,
        allocated=result.allocated_t,
        trace=result.trace,
    )
    events.publish("compliance.changed", allocation)  # position and grade in the read model
    return allocation


@transaction.atomic
def record_value_added(
    *,
    year: int,
    value_added_10k_cny: Decimal,
    industry_average_l: Decimal,
    industry_average_source: str,
    evidence=None,
    evidence_upload: UploadedFile | None = None,
    zero_carbon_t: Decimal = Decimal(0),
    reason: str = "",
    entered_by,
) -> ValueAddedRecord:
    """Store value added of `year` with its evidence; a second call corrects it (reason required). The basis
    given as `evidence_upload` is stored after the checks, in the same transaction: a refusal stores no file."""
    errors = {}
    if value_added_10k_cny <= 0:
        errors["value_added_10k_cny"] = _("工业增加值必须大于零。")
    if industry_average_l <= 0:
        errors["industry_average_l"] = _("行业平均值必须大于零。")
    if evidence is None and evidence_upload is None:
        errors["evidence"] = _("请上传增加值的依据文件（统计报表或财务报表）。")
    if zero_carbon_t < 0:
        errors["zero_carbon_t"] = _("抵扣量不能为负。")
    if errors:
        raise ValidationError(errors, code="invalid")
    current = _latest(ValueAddedRecord.objects.select_for_update(), year=year)
    version = _new_version(current, reason, entered_by)
    if evidence_upload is not None:
        evidence = store_evidence(
            upload=evidence_upload,
            kind="other",
            description=_("%(year)s年度工业增加值依据") % {"year": year},
            uploaded_by=entered_by,
            scope="carbon",
        )
    record = ValueAddedRecord.objects.create(
        year=year,
        **version,
        evidence=evidence,
        entered_by=entered_by,
        value_added_10k_cny=value_added_10k_cny,
        zero_carbon_t=zero_carbon_t,
        industry_average_l=industry_average_l,
        industry_average_source=industry_average_source,
    )
    events.publish("compliance.changed", record)
    return record
