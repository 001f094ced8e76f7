"""The set-based write path (`record_activity_batch`) writes exactly what the single-row services would."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test.utils import CaptureQueriesContext
from intake_workbooks import YEAR, fill

from steward.carbon import services as carbon
from steward.carbon.models import ActivityRecord, EmissionSource, MeasuredParameter
from steward.carbon.services import ParameterInput
from steward.intake import services
from steward.intake.models import ImportedRecord
from steward.intake.validation import merged_parameters

REASON = "导入批次 #999"


def _lab_report(filer):
    from datetime import date

    return carbon.add_lab_report(
        upload=SimpleUploadedFile("化验单.pdf", b"%PDF-1.4 coal 2019-01", "application/pdf"),
        lab_name="浙江省煤炭质量检测中心",
        accreditation="CMA",
        accreditation_number="203112345678",
        report_number="ZJMT-2019-0101",
        sampling_start=date(YEAR, 1, 1),
        sampling_end=date(YEAR, 1, 31),
        by=filer,
    )


def _history(filer):
    """Figures already entered for YEAR: a cited coal month, a corrected month, two grid months."""
    coal = EmissionSource.objects.get(code="U1-COAL")
    grid = EmissionSource.objects.get(code="GRID")
    report = _lab_report(filer)
    carbon.record_activity(
        source=coal,
        year=YEAR,
        month=1,
        quantity=Decimal("10"),
        unit="t",
        data_source="production_metering",
        parameters=[
            ParameterInput("ncv", Decimal("20.85"), "GJ/t", report),
            ParameterInput("carbon_content_ar", Decimal("52.3"), "%", report),
            ParameterInput("moisture_ar", Decimal("8.1"), "%"),
        ],
        entered_by=filer,
    )
    first = carbon.record_activity(
        source=coal, year=YEAR, month=2, quantity=Decimal("1"), unit="t", data_source="production_metering",
        entered_by=filer,
    )  # fmt: skip
    carbon.correct_activity(
        record=first, quantity=Decimal("102"), unit="t", data_source="settlement_voucher", reason="录入错误",
        entered_by=filer,
    )  # fmt: skip
    for month, quantity in ((3, "103"), (4, "50")):
        carbon.record_activity(
            source=grid, year=YEAR, month=month, quantity=Decimal(quantity), unit="MWh",
            data_source="settlement_voucher", entered_by=filer,
        )  # fmt: skip


def _workbook(year_template):
    return fill(
        year_template,
        {("U1-COAL", 1): {"quantity": "11", "ncv": "20.85", "carbon_content_ar": "52.5%"}},
    )


def _codes(error: ValidationError) -> set[str]:
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


def _snapshot():
    """Every YEAR record, by natural key, with every field that matters and its parameters."""
    rows = {}
    records = ActivityRecord.objects.filter(year=YEAR).select_related("source", "supersedes__source")
    for r in records.prefetch_related("parameters"):
        sup = r.supersedes
        rows[(r.source.code, r.month, r.version)] = {
            "quantity": r.quantity,
            "unit": r.unit,
            "data_source": r.data_source,
            "correction_reason": r.correction_reason,
            "entered_by": r.entered_by_id,
            "supersedes": (sup.source.code, sup.month, sup.version) if sup else None,
            "parameters": sorted((p.name, p.value, p.unit, p.lab_report_id) for p in r.parameters.all()),
        }
    return rows


def _one_by_one(plan, filer):
    """The former confirmation: each planned row through record_activity / correct_activity, in order."""
    for planned in plan.rows:
        common = {"quantity": planned.quantity, "unit": planned.unit, "data_source": planned.data_source}
        if planned.action == "create":
            carbon.record_activity(
                source=planned.source, year=YEAR, month=planned.month, parameters=planned.parameters,
                entered_by=filer, **common,
            )  # fmt: skip
        elif planned.action == "correct":
            carbon.correct_activity(
                record=planned.current, reason=REASON, parameters=merged_parameters(planned), entered_by=filer,
                **common,
            )  # fmt: skip


def _entries(plan):
    return [
        carbon.ActivityEntry(
            source=p.source,
            year=YEAR,
            month=p.month,
            quantity=p.quantity,
            unit=p.unit,
            data_source=p.data_source,
            parameters=p.parameters,
        )  # fmt: skip
        for p in plan.rows
    ]


def test_batch_writes_exactly_the_rows_the_single_row_services_write(power, filer, year_template):
    _history(filer)
    report = services.check_file(enterprise=power, name="a.xlsx", data=_workbook(year_template))
    assert report.ok, report.problems
    assert {"create", "correct", "unchanged"} == {row.action for row in report.plan.rows}
    before = _snapshot()
    with transaction.atomic():
        _one_by_one(report.plan, filer)
        old = _snapshot()
        transaction.set_rollback(True)
    assert _snapshot() == before
    # Unchanged rows included: the batch decides on its own.
    with CaptureQueriesContext(transaction.get_connection()) as queries:
        results = carbon.record_activity_batch(entries=_entries(report.plan), by=filer, reason=REASON)
    new = _snapshot()
    assert new == old
    assert len(new) - len(before) == report.plan.count("create") + report.plan.count("correct")
    assert [r.action for r in results] == [p.action for p in report.plan.rows]
    statements = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith("SET search_path")]
    # Unit lookups per fuel, frozen-month locks + statuses, chain locks, lock + load, parameters, two inserts:
    # whatever the row count.
    assert len(statements) <= 15 < len(report.plan.rows)
    # The cited coal month: version 2 keeps the unchanged ncv's citation, drops the changed one's, keeps moisture.
    latest = _snapshot()[("U1-COAL", 1, 2)]
    cited = {name: lab for name, _v, _u, lab in latest["parameters"]}
    assert cited["ncv"] is not None and cited["carbon_content_ar"] is None and "moisture_ar" in cited
    assert latest["supersedes"] == ("U1-COAL", 1, 1) and latest["correction_reason"] == REASON


def test_correction_is_version_n_plus_one_and_unchanged_rows_are_skipped(filer, power):
    _history(filer)
    coal = EmissionSource.objects.get(code="U1-COAL")
    grid = EmissionSource.objects.get(code="GRID")
    count = ActivityRecord.objects.count()
    entry = carbon.ActivityEntry
    results = carbon.record_activity_batch(
        entries=[
            entry(coal, YEAR, 2, Decimal("120"), "t", "settlement_voucher"),  # v2 → v3
            entry(grid, YEAR, 3, Decimal("103"), "MWh", "settlement_voucher"),  # unchanged
            entry(grid, YEAR, 5, Decimal("7"), "MWh", "inventory_ledger"),  # new
        ],
        by=filer,
        reason="  抄表更正  ",
    )
    assert [r.action for r in results] == ["correct", "unchanged", "create"]
    assert ActivityRecord.objects.count() == count + 2
    v3 = coal.records.get(year=YEAR, month=2, version=3)
    assert results[0].record == v3 and v3.correction_reason == "抄表更正" and v3.quantity == Decimal("120")
    assert v3.supersedes == coal.records.get(year=YEAR, month=2, version=2)
    assert results[1].record == grid.records.get(year=YEAR, month=3, version=1)
    created = grid.records.get(year=YEAR, month=5)
    assert created.version == 1 and created.supersedes is None and created.correction_reason == ""


def test_batch_refusals_write_nothing(filer, power):
    _history(filer)
    coal = EmissionSource.objects.get(code="U1-COAL")
    grid = EmissionSource.objects.get(code="GRID")
    entry = carbon.ActivityEntry
    good = entry(grid, YEAR, 6, Decimal("1"), "MWh", "inventory_ledger")
    count = ActivityRecord.objects.count()
    cases = [
        ([good, entry(coal, YEAR, 2, Decimal("1"), "t", "inventory_ledger")], "", None, "reason_required"),
        ([good, entry(grid, YEAR, 7, Decimal("1"), "t", "inventory_ledger")], REASON, None, None),  # unit
        ([good, entry(grid, YEAR, 7, Decimal("-1"), "MWh", "inventory_ledger")], REASON, None, None),
        ([good, good], REASON, None, "duplicate_entry"),
        (
            [good, entry(grid, YEAR, 13, Decimal("1"), "MWh", "inventory_ledger")],
            REASON,
            None,
            "invalid_period",
        ),
        (
            [good, entry(coal, YEAR, 1, Decimal("1"), "t", "x", (ParameterInput("ncv", Decimal(1), "MWh"),))],
            REASON,
            None,
            None,
        ),
        ([good], REASON, {(grid.pk, YEAR, 6): 1}, "stale_version"),
        ([good, entry(grid, YEAR, 3, Decimal("9"), "MWh", "x")], REASON, {(grid.pk, YEAR, 3): 0}, None),
    ]
    for entries, reason, expected, code in cases:
        with pytest.raises(ValidationError) as refused:
            carbon.record_activity_batch(entries=entries, by=filer, reason=reason, expected=expected)
        if code:
            assert code in _codes(refused.value)
    assert ActivityRecord.objects.count() == count


def test_batch_written_rows_stay_append_only(filer, power):
    grid = EmissionSource.objects.get(code="GRID")
    coal = EmissionSource.objects.get(code="U1-COAL")
    results = carbon.record_activity_batch(
        entries=[
            carbon.ActivityEntry(grid, YEAR, 8, Decimal("1"), "MWh", "inventory_ledger"),
            carbon.ActivityEntry(
                coal,
                YEAR,
                8,
                Decimal("2"),
                "t",
                "inventory_ledger",
                [ParameterInput("ncv", Decimal(20), "GJ/t")],
            ),
        ],
        by=filer,
        reason=REASON,
    )
    record = results[1].record
    for attempt in (
        lambda: ActivityRecord.objects.filter(pk=record.pk).update(quantity=Decimal("3")),
        lambda: ActivityRecord.objects.filter(pk=results[0].record.pk).delete(),
        lambda: MeasuredParameter.objects.filter(record=record).update(value=Decimal("1")),
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            attempt()
    assert ActivityRecord.objects.get(pk=record.pk).quantity == Decimal("2")
    assert record.parameters.get().value == Decimal("20")


def test_confirm_links_every_written_record_and_counts_match(power, filer, year_template):
    _history(filer)
    report = services.dry_run(enterprise=power, name="a.xlsx", data=_workbook(year_template))
    assert report.ok, report.problems
    batch = services.confirm(enterprise=power, sha256=report.sha256, name=report.name, by=filer)
    links = ImportedRecord.objects.filter(batch=batch).select_related("record")
    assert links.count() == batch.rows_created + batch.rows_corrected
    assert {link.action for link in links if link.record.version > 1} == {ImportedRecord.Action.CORRECTED}
    assert {link.action for link in links if link.record.version == 1} == {ImportedRecord.Action.CREATED}
    rows = {(p.source.pk, p.month): p.row for p in report.plan.rows}
    assert all(rows[(link.record.source_id, link.record.month)] == link.sheet_row for link in links)
    corrected = [link.record for link in links if link.action == ImportedRecord.Action.CORRECTED]
    assert {r.correction_reason for r in corrected} == {batch.reason}
    assert batch.rows_unchanged == 2  # coal February and grid March
