"""The template round trip: download, fill, dry run (nothing saved), confirm, re-import, correct."""

from decimal import Decimal

from intake_workbooks import YEAR, fill

from steward.carbon.models import ActivityRecord, EmissionSource
from steward.intake import services
from steward.intake.models import ImportBatch


def test_year_template_round_trip_creates_every_record_once(power, filer, year_template):
    sources = EmissionSource.objects.count()
    data = fill(year_template)
    before = ActivityRecord.objects.count()
    report = services.dry_run(enterprise=power, name="活动数据_2019年.xlsx", data=data)
    assert report.ok, report.problems
    assert report.summary()["create"] == sources * 12
    assert ActivityRecord.objects.count() == before  # the dry run saved nothing
    batch = services.confirm(enterprise=power, sha256=report.sha256, name=report.name, by=filer)
    assert batch.rows_created == sources * 12 and batch.original_name == "活动数据_2019年.xlsx"
    assert batch.evidence.sha256 == report.sha256
    created = ActivityRecord.objects.filter(year=YEAR)
    assert created.count() == sources * 12
    assert batch.records.count() == sources * 12
    assert created.get(source__code="GRID", month=3).quantity == Decimal("103")
    assert created.get(source__code="GRID", month=3).data_source == "settlement_voucher"
    # The same file again: the same batch, nothing new.
    again = services.dry_run(enterprise=power, name="copy.xlsx", data=data)
    assert again.existing_batch == batch
    assert services.confirm(enterprise=power, sha256=report.sha256, name="copy.xlsx", by=filer) == batch
    assert ActivityRecord.objects.filter(year=YEAR).count() == sources * 12
    assert ImportBatch.objects.count() == 1


def test_changed_value_becomes_a_new_version_with_the_batch_as_reason(power, filer, year_template):
    first = services.dry_run(enterprise=power, name="a.xlsx", data=fill(year_template))
    services.confirm(enterprise=power, sha256=first.sha256, name="a.xlsx", by=filer)
    changed = fill(year_template, {("GRID", 5): {"quantity": "2,000.5"}})
    report = services.dry_run(enterprise=power, name="b.xlsx", data=changed)
    assert report.ok, report.problems
    assert report.summary()["correct"] == 1
    assert report.summary()["create"] == 0
    batch = services.confirm(enterprise=power, sha256=report.sha256, name="b.xlsx", by=filer)
    versions = ActivityRecord.objects.filter(year=YEAR, month=5, source__code="GRID").order_by("version")
    assert [v.quantity for v in versions] == [Decimal("105"), Decimal("2000.5")]
    assert versions[1].correction_reason == f"导入批次 #{batch.pk}"
    assert versions[1].supersedes == versions[0]
    assert batch.rows_corrected == 1 and batch.rows_unchanged == report.summary()["unchanged"]
    assert list(batch.records.values_list("record_id", flat=True)) == [versions[1].pk]


def test_correction_keeps_parameters_the_template_does_not_carry(power, filer):
    from steward.carbon.services import ParameterInput, record_activity
    from steward.intake.template import build_template

    coal = EmissionSource.objects.get(code="U1-COAL")
    record_activity(
        source=coal,
        year=YEAR,
        month=1,
        quantity=Decimal("10"),
        unit="t",
        data_source="production_metering",
        parameters=[ParameterInput("moisture_ar", Decimal("8.1"), "%")],
        entered_by=filer,
    )
    template = build_template(enterprise=power, year=YEAR, months=[1])
    data = fill(
        template, {("U1-COAL", 1): {"quantity": "11", "ncv": "２０．８５", "carbon_content_ar": "52.3%"}}
    )
    report = services.dry_run(enterprise=power, name="c.xlsx", data=data)
    assert report.ok, report.problems
    services.confirm(enterprise=power, sha256=report.sha256, name="c.xlsx", by=filer)
    latest = coal.records.filter(year=YEAR, month=1).order_by("-version").first()
    assert latest.version == 2
    values = {p.name: (p.value, p.unit) for p in latest.parameters.all()}
    assert values == {
        "moisture_ar": (Decimal("8.1"), "%"),
        "ncv": (Decimal("20.85"), "GJ/t"),
        "carbon_content_ar": (Decimal("52.3"), "%"),
    }
