"""Writing carbon accounting records. Nothing here edits a record: a correction adds the next version."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from steward.carbon.freeze import (
    RecordConflict,
    lock_chain,
    lock_chains,
    refuse_if_any_frozen,
    refuse_if_frozen,
)
from steward.carbon.models import (
    ActivityRecord,
    EmissionSource,
    Facility,
    LabReport,
    MeasuredParameter,
    OutputRecord,
)
from steward.carbon.parameter_sets import lab_parameter_names, sector_parameter_kinds
from steward.carbon.unit_rules import check_unit, output_dimension, parameter_dimension, source_dimension
from steward.edge.numbers import check_bounds
from steward.edge.periods import check_period
from steward.factors.models import FactorSet, FuelFactor
from steward.versioning import next_version


@dataclass(frozen=True)
class ParameterInput:
    name: str
    value: Decimal
    unit: str
    lab_report: LabReport | None = None


def _check_period(year: int, month: int) -> None:
    """A real month, not after the current one nor before the first reporting year (steward.edge.periods)."""
    check_period(year, month)


def _check_figure(value: Decimal, unit: str, dimension: str, field: str) -> None:
    """The unit's documented range (steward.edge.numbers.BOUNDS); precision is the database's 8 decimals."""
    check_bounds(value, unit, dimension, field, precision=False)


def _check_quantity(value: Decimal, field: str) -> None:
    if not value.is_finite() or value < 0:
        raise ValidationError({field: ValidationError(_("数值必须为非负的有限数。"), code="negative")})


# The process parameters that belong to some kinds of source: never stored (and then dropped) on another. Cement's
# as listed; the other sectors' from their parameter sets (a fuel's NCV or carbon content may go on any source).
PARAMETER_KINDS = {
    MeasuredParameter.Name.KILN_DUST: {EmissionSource.Kind.CLINKER_PROCESS},
    MeasuredParameter.Name.BYPASS_DUST: {EmissionSource.Kind.CLINKER_PROCESS},
    MeasuredParameter.Name.RAW_MEAL: {EmissionSource.Kind.CLINKER_PROCESS},
    MeasuredParameter.Name.RAW_MEAL_CARBON: {EmissionSource.Kind.CLINKER_PROCESS},
    MeasuredParameter.Name.CLINKER_FACILITY_ELECTRICITY: {EmissionSource.Kind.PURCHASED_ELECTRICITY},
} | sector_parameter_kinds()


def check_parameter(parameter: ParameterInput, source: EmissionSource, *, ncv_dimension: str = "") -> None:
    """Every check a measured value passes before it is stored (the intake's dry run asks the same)."""
    if parameter.name not in MeasuredParameter.Name.values:
        raise ValidationError(
            _("未知参数 %(name)s。"), code="unknown_parameter", params={"name": parameter.name}
        )
    kinds = PARAMETER_KINDS.get(parameter.name)
    if kinds is not None and source.kind not in kinds:
        raise ValidationError(
            {
                parameter.name: ValidationError(
                    _("%(parameter)s 只能填报在%(kind)s排放源上。"),
                    code="not_for_this_source",
                    params={
                        "parameter": MeasuredParameter.Name(parameter.name).label,
                        "kind": "、".join(str(EmissionSource.Kind(kind).label) for kind in sorted(kinds)),
                    },
                )
            }
        )
    _check_quantity(parameter.value, parameter.name)
    if parameter.name == MeasuredParameter.Name.NCV and ncv_dimension:
        dimension = ncv_dimension
    else:
        dimension = parameter_dimension(parameter.name, source)
    check_unit(parameter.unit, dimension, field=parameter.name)
    _check_figure(parameter.value, parameter.unit, dimension, parameter.name)


def _save_parameters(record: ActivityRecord, parameters: list[ParameterInput]) -> None:
    for parameter in parameters:
        check_parameter(parameter, record.source)
        MeasuredParameter.objects.create(
            record=record,
            name=parameter.name,
            value=parameter.value,
            unit=parameter.unit,
            lab_report=parameter.lab_report,
        )


def add_facility(*, code: str, name: str, kind: str, capacity_mw: Decimal | None = None) -> Facility:
    facility = Facility(code=code.strip(), name=name.strip(), kind=kind, capacity_mw=capacity_mw)
    facility.full_clean()
    facility.save()
    return facility


def add_source(
    *, facility: Facility, code: str, name: str, kind: str, unit: str, fuel_code: str = ""
) -> EmissionSource:
    """Register an emission source; a fuel must be in the factor library and the unit must fit it."""
    if kind == EmissionSource.Kind.FUEL_COMBUSTION:
        if not FuelFactor.objects.filter(factor_set=FactorSet.current(), fuel_code=fuel_code).exists():
            raise ValidationError(
                {
                    "fuel_code": ValidationError(
                        _("因子库中没有燃料 %(fuel)s。"), code="unknown_fuel", params={"fuel": fuel_code}
                    )
                }
            )
    elif fuel_code:
        raise ValidationError(
            {"fuel_code": ValidationError(_("只有燃料燃烧源需要燃料品种。"), code="no_fuel")}
        )
    source = EmissionSource(
        facility=facility, code=code.strip(), name=name.strip(), kind=kind, fuel_code=fuel_code, unit=unit
    )
    source.full_clean()
    check_unit(unit, source_dimension(source), field="unit")
    source.save()
    return source


def latest_activity(source: EmissionSource, year: int, month: int) -> ActivityRecord | None:
    return source.records.filter(year=year, month=month).order_by("-version").first()


@transaction.atomic
def record_activity(
    *,
    source: EmissionSource,
    year: int,
    month: int,
    quantity: Decimal,
    unit: str,
    data_source: str,
    parameters: list[ParameterInput] = (),
    entered_by,
) -> ActivityRecord:
    """Enter a month's figure for the first time. A figure already entered is changed by `correct_activity`."""
    _check_period(year, month)
    refuse_if_frozen(year, month)
    _check_quantity(quantity, "quantity")
    check_unit(unit, source_dimension(source), field="unit")
    _check_figure(quantity, unit, source_dimension(source), "quantity")
    lock_chain("activity", source.pk, year, month)
    if latest_activity(source, year, month) is not None:
        raise RecordConflict(
            _("%(source)s %(year)s年%(month)s月的数据已录入，如需修改请提交更正并说明原因。"),
            code="already_recorded",
            params={"source": source.name, "year": year, "month": month},
        )
    try:
        with transaction.atomic():
            record = ActivityRecord.objects.create(
                source=source,
                year=year,
                month=month,
                version=1,
                quantity=quantity,
                unit=unit,
                data_source=data_source,
                entered_by=entered_by,
            )
    except IntegrityError as error:  # a concurrent first entry won the race
        raise RecordConflict(_("该月数据刚被他人录入，请刷新后查看。"), code="conflict") from error
    _save_parameters(record, list(parameters))
    return record


@transaction.atomic
def correct_activity(
    *,
    record: ActivityRecord,
    quantity: Decimal,
    unit: str,
    data_source: str,
    reason: str,
    parameters: list[ParameterInput] = (),
    entered_by,
) -> ActivityRecord:
    """Add version n+1 of a month's figure. The earlier version stays readable; the reason is required."""
    next_version(record, reason, field="reason")  # refuse a correction without its reason before any lock
    refuse_if_frozen(record.year, record.month)
    # Without the chain lock, concurrent corrections all read version n and all write n+1 (duplicate key).
    lock_chain("activity", record.source_id, record.year, record.month)
    current = (
        ActivityRecord.objects.select_for_update()
        .filter(source=record.source, year=record.year, month=record.month)
        .order_by("-version")
        .first()
    )
    if current.pk != record.pk:
        raise RecordConflict(
            _("您更正的是第%(old)s版，但已有更新的第%(new)s版，请基于最新版本更正。"),
            code="stale_version",
            params={"old": record.version, "new": current.version},
        )
    _check_quantity(quantity, "quantity")
    check_unit(unit, source_dimension(record.source), field="unit")
    _check_figure(quantity, unit, source_dimension(record.source), "quantity")
    corrected = ActivityRecord.objects.create(
        source=record.source,
        year=record.year,
        month=record.month,
        quantity=quantity,
        unit=unit,
        data_source=data_source,
        entered_by=entered_by,
        **next_version(current, reason, entered_by, field="reason").fields(),
    )
    _save_parameters(corrected, list(parameters))
    return corrected


@dataclass(frozen=True)
class ActivityEntry:
    """One month's figure for `record_activity_batch`. `parameters` are the values given: a new version keeps
    the current version's parameters that are not given (with their lab-report citation)."""

    source: EmissionSource
    year: int
    month: int
    quantity: Decimal
    unit: str
    data_source: str
    parameters: tuple[ParameterInput, ...] | list[ParameterInput] = ()


@dataclass(frozen=True)
class BatchResult:
    entry: ActivityEntry
    action: str  # create | correct | unchanged
    record: ActivityRecord  # the new record, or the current one when unchanged


def carried_parameters(
    existing: dict[str, MeasuredParameter], given: list[ParameterInput] | tuple[ParameterInput, ...]
) -> list[ParameterInput]:
    """The given values, plus the current version's values not given (kept as they were, with their lab-report
    citation). A given lab parameter equal to the current value keeps the current citation."""
    merged: dict[str, ParameterInput] = {}
    for parameter in given:
        old = existing.get(parameter.name)
        same = old is not None and old.value == parameter.value and old.unit == parameter.unit
        cited = parameter.lab_report
        if cited is None and same and parameter.name in LAB_PARAMETERS:
            cited = old.lab_report
        merged[parameter.name] = ParameterInput(parameter.name, parameter.value, parameter.unit, cited)
    for name, old in existing.items():
        merged.setdefault(name, ParameterInput(name, old.value, old.unit, old.lab_report))
    return list(merged.values())


def is_unchanged(
    current: ActivityRecord,
    existing: dict[str, MeasuredParameter],
    *,
    quantity: Decimal,
    unit: str,
    data_source: str,
    parameters,
) -> bool:
    """Whether a figure would change nothing: same quantity, unit, data source and given parameter values (and,
    where a parameter cites a lab report, the same report)."""
    return (
        current.quantity == quantity
        and current.unit == unit
        and current.data_source == data_source
        and all(
            (old := existing.get(p.name)) is not None
            and (old.value, old.unit) == (p.value, p.unit)
            and (p.lab_report is None or p.lab_report.pk == old.lab_report_id)
            for p in parameters
        )
    )


def _same_figure(
    current: ActivityRecord, existing: dict[str, MeasuredParameter], entry: ActivityEntry
) -> bool:
    """Whether `entry` is exactly the current version: figure, data source, and every parameter with its
    citation (none dropped, none added)."""
    given = {p.name: (p.value, p.unit, p.lab_report.pk if p.lab_report else None) for p in entry.parameters}
    held = {name: (p.value, p.unit, p.lab_report_id) for name, p in existing.items()}
    return (current.quantity, current.unit, current.data_source) == (
        entry.quantity,
        entry.unit,
        entry.data_source,
    ) and given == held


@transaction.atomic
def enter_activity(
    *,
    source: EmissionSource,
    year: int,
    month: int,
    quantity: Decimal,
    unit: str,
    data_source: str,
    parameters: list[ParameterInput] | tuple[ParameterInput, ...] = (),
    reason: str = "",
    expected_version: int | None = None,
    by,
) -> BatchResult:
    """Record or correct one month's figure: the way the month page and the API write a figure, through the
    same engine as the intake (`record_activity_batch`), so every rule and refusal is the same for all three.

    No figure yet → version 1. A differing figure → version n+1 superseding the current one, with `reason`
    (required). The same figure → nothing is written (`action == "unchanged"`, `record` the current one).
    The parameters given are the new version's parameters: the page starts a correction from the current
    values, and an API client sends the parameters it means. `expected_version` is the version the person
    saw (0: none yet); another current version is a RecordConflict (HTTP 409), so of concurrent corrections
    of one version exactly one is written.
    """
    entry = ActivityEntry(
        source=source,
        year=year,
        month=month,
        quantity=quantity,
        unit=unit,
        data_source=data_source,
        parameters=tuple(parameters),
    )
    expected = None if expected_version is None else {(source.pk, year, month): expected_version}
    return record_activity_batch(
        entries=[entry], by=by, reason=reason, expected=expected, keep_parameters_not_given=False
    )[0]


@transaction.atomic
def record_activity_batch(
    *,
    entries: list[ActivityEntry],
    by,
    reason: str,
    expected: dict | None = None,
    keep_parameters_not_given: bool = True,
) -> list[BatchResult]:
    """Write many months' figures at once, exactly as `record_activity` / `correct_activity` would one by one.

    For each (source, year, month): no record yet → version 1; a differing figure → version n+1 superseding
    the current one, with `reason` and the current parameters not given carried over; the same figure →
    nothing written ("unchanged"). The current versions are locked and loaded in one query, the records and
    their parameters inserted with two `bulk_create`s. `expected` maps (source_id, year, month) to the version
    the caller planned against (0: none); a different current version refuses the whole batch, like a stale
    correction. Every validation of the single-row services applies; any failure writes nothing.
    With `keep_parameters_not_given=False` the parameters given are the whole of the new version's parameters
    (a form that shows every current value), and a figure is unchanged only if they equal the current ones,
    citations included.
    """
    entries = list(entries)
    if not entries:
        return []
    keys = [(e.source.pk, e.year, e.month) for e in entries]
    by_key = dict(zip(keys, entries, strict=True))
    if len(set(keys)) != len(keys):
        raise ValidationError(_("同一排放源同一月份在一批中只能出现一次。"), code="duplicate_entry")
    dimensions: dict[tuple[str, str], tuple[str, str]] = {}  # (kind, fuel) → (activity, ncv) dimensions
    for entry in entries:
        _check_period(entry.year, entry.month)
        _check_quantity(entry.quantity, "quantity")
        source = entry.source
        kind = (source.kind, source.fuel_code)  # all source_dimension / parameter_dimension depend on
        if kind not in dimensions:
            activity = source_dimension(source)
            dimensions[kind] = (activity, "ncv_gas" if activity == "gas_volume" else "ncv_mass")
        check_unit(entry.unit, dimensions[kind][0], field="unit")
        _check_figure(entry.quantity, entry.unit, dimensions[kind][0], "quantity")
        for parameter in entry.parameters:
            check_parameter(parameter, source, ncv_dimension=dimensions[kind][1])
    refuse_if_any_frozen({(e.year, e.month) for e in entries})
    lock_chains("activity", keys)

    # Lock every version of the affected months (as correct_activity does) and keep the latest of each.
    wanted = set(keys)
    locked = (
        ActivityRecord.objects.select_for_update()
        .filter(
            source_id__in={k[0] for k in keys},
            year__in={k[1] for k in keys},
            month__in={k[2] for k in keys},
        )
        .order_by("source_id", "year", "month", "version")
    )
    current: dict[tuple[int, int, int], ActivityRecord] = {}
    for record in locked:
        key = (record.source_id, record.year, record.month)
        if key in wanted:
            current[key] = record  # latest version wins
    existing: dict[int, dict[str, MeasuredParameter]] = {record.pk: {} for record in current.values()}
    for parameter in MeasuredParameter.objects.filter(record__in=list(current.values())).select_related(
        "lab_report"
    ):
        existing[parameter.record_id][parameter.name] = parameter

    for key, version in (expected or {}).items():
        found = current.get(key)
        if (found.version if found else 0) != version:
            if version == 0:
                raise RecordConflict(
                    _("%(source)s %(year)s年%(month)s月的数据已录入，如需修改请提交更正并说明原因。"),
                    code="already_recorded",
                    params={"source": by_key[key].source.name, "year": key[1], "month": key[2]},
                )
            raise RecordConflict(
                _("您更正的是第%(old)s版，但已有更新的第%(new)s版，请基于最新版本更正。"),
                code="stale_version",
                params={"old": version, "new": found.version if found else 0},
            )

    results: list[BatchResult] = []
    new_records: list[ActivityRecord] = []
    new_parameters: list[list[ParameterInput]] = []
    for entry, key in zip(entries, keys, strict=True):
        found = current.get(key)
        common = {
            "source": entry.source,
            "year": entry.year,
            "month": entry.month,
            "quantity": entry.quantity,
            "unit": entry.unit,
            "data_source": entry.data_source,
            "entered_by": by,
        }
        if found is None:
            record = ActivityRecord(version=1, **common)
            parameters = list(entry.parameters)
            action = "create"
        else:
            old = existing[found.pk]
            if keep_parameters_not_given:
                parameters = carried_parameters(old, entry.parameters)
                unchanged = is_unchanged(
                    found,
                    old,
                    quantity=entry.quantity,
                    unit=entry.unit,
                    data_source=entry.data_source,
                    parameters=entry.parameters,
                )
            else:
                parameters = list(entry.parameters)
                unchanged = _same_figure(found, old, entry)
            if unchanged:
                results.append(BatchResult(entry, "unchanged", found))
                continue
            record = ActivityRecord(**next_version(found, reason, field="reason").fields(), **common)
            action = "correct"
        new_records.append(record)
        new_parameters.append(parameters)
        results.append(BatchResult(entry, action, record))
    try:
        with transaction.atomic():
            ActivityRecord.objects.bulk_create(new_records)
    except IntegrityError as error:  # a concurrent first entry won the race
        raise RecordConflict(_("该月数据刚被他人录入，请刷新后查看。"), code="conflict") from error
    MeasuredParameter.objects.bulk_create(
        [
            MeasuredParameter(
                record=record,
                name=parameter.name,
                value=parameter.value,
                unit=parameter.unit,
                lab_report=parameter.lab_report,
            )
            for record, parameters in zip(new_records, new_parameters, strict=True)
            for parameter in parameters
        ]
    )
    return results


@transaction.atomic
def record_output(
    *,
    kind: str,
    year: int,
    month: int,
    value: Decimal,
    unit: str,
    entered_by,
    reason: str = "",
) -> OutputRecord:
    """Enter or correct a monthly output figure (a correction needs a reason and adds a version)."""
    _check_period(year, month)
    _check_quantity(value, "value")
    if kind not in OutputRecord.Kind.values:
        raise ValidationError(_("未知产出类别 %(kind)s。"), code="unknown_output", params={"kind": kind})
    check_unit(unit, output_dimension(kind), field="unit")
    _check_figure(value, unit, output_dimension(kind), "value")
    refuse_if_frozen(year, month)
    lock_chain("output", kind, year, month)
    current = (
        OutputRecord.objects.select_for_update()
        .filter(kind=kind, year=year, month=month)
        .order_by("-version")
        .first()
    )
    return OutputRecord.objects.create(
        kind=kind,
        year=year,
        month=month,
        value=value,
        unit=unit,
        entered_by=entered_by,
        **next_version(current, reason, entered_by, field="reason").fields(),
    )


LAB_PARAMETERS = {
    "ncv",
    "carbon_content_ar",
    "carbon_content_ad",
    "moisture_ar",
    "moisture_ad",
    "hydrogen_ad",
    "sulphur_ad",
    "carbon_content_per_heat",
    "clinker_cao",
    "clinker_mgo",
    "noncarbonate_cao",
    "noncarbonate_mgo",
    "raw_meal_carbon",
} | lab_parameter_names()


@transaction.atomic
def add_lab_report(
    *,
    upload,
    lab_name: str,
    accreditation: str,
    accreditation_number: str,
    report_number: str,
    sampling_start,
    sampling_end,
    by,
) -> LabReport:
    """Store a lab report's file as evidence and record the report (to be cited by measured parameters)."""
    from steward.evidence.services import store_evidence

    if sampling_end < sampling_start:
        raise ValidationError(
            {"sampling_end": ValidationError(_("采样结束日期不能早于开始日期。"), code="dates")}
        )
    if LabReport.objects.filter(report_number=report_number.strip()).exists():
        raise ValidationError({"report_number": ValidationError(_("该报告编号已登记。"), code="duplicate")})
    evidence = store_evidence(
        upload=upload,
        kind="lab_report",
        description=f"{lab_name} {report_number}",
        uploaded_by=by,
        scope="carbon",
    )
    return LabReport.objects.create(
        lab_name=lab_name.strip(),
        accreditation=accreditation,
        accreditation_number=accreditation_number.strip(),
        report_number=report_number.strip(),
        sampling_start=sampling_start,
        sampling_end=sampling_end,
        evidence=evidence,
        created_by=by,
    )
