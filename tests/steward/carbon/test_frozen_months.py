"""A month in review or locked is frozen: its records change only after an approved reopen, whichever way a
writer comes (service, API, page, intake) and even around the application (a database trigger)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django_tenants.utils import schema_context

from steward.carbon import accounting, ledgers
from steward.carbon import services as carbon
from steward.carbon.freeze import MonthFrozen
from steward.carbon.models import ActivityRecord, EmissionSource, LabReport, OutputRecord
from steward.filing.models import FilingStatus, MonthlyFiling
from tenants.access import workspace_access
from tenants.models import Enterprise, User
from workflows import monthly_filing as filing_services

pytestmark = pytest.mark.django_db
YEAR, MONTH = 2025, 6


def _person(username: str, enterprise: Enterprise):
    user = User.objects.get(username=username)
    return user, workspace_access(user, enterprise)


@pytest.fixture
def paper():
    """nth-paper's June 2025: one coal figure (500 t), an output, a computed result, submitted for review."""
    enterprise = Enterprise.objects.get(slug="nth-paper")
    with schema_context(enterprise.schema_name):
        filer, filer_grant = _person("paper.filer", enterprise)
        steward, steward_grant = _person("qingyuan.reviewer", enterprise)
        facility = carbon.add_facility(code="FZ1", name="1号锅炉", kind="boiler")
        coal = carbon.add_source(
            facility=facility,
            code="FZ-COAL",
            name="锅炉烟煤",
            kind="fuel_combustion",
            fuel_code="bituminous_coal",
            unit="t",
        )
        record = carbon.record_activity(
            source=coal,
            year=YEAR,
            month=MONTH,
            quantity=Decimal("500"),
            unit="t",
            data_source="production_metering",
            entered_by=filer,
        )
        filing = filing_services.open_filing(enterprise=enterprise, year=YEAR, month=MONTH, by=filer)
        filing_services.run_checks(enterprise=enterprise, filing=filing, by=filer)
        for finding in filing.findings.filter(severity="warning"):
            filing_services.acknowledge(
                finding=finding, comment="迟报：系统切换", by=filer, grant=filer_grant
            )
        for finding in filing.findings.filter(severity="blocking"):
            filing_services.waive(finding=finding, reason="已线下核验", by=steward, grant=steward_grant)
        filing = filing_services.submit(enterprise=enterprise, filing=filing, by=filer, grant=filer_grant)
        yield {
            "enterprise": enterprise,
            "filing": filing,
            "record": record,
            "coal": coal,
            "filer": (filer, filer_grant),
            "steward": (steward, steward_grant),
        }


def _approve(paper):
    steward, grant = paper["steward"]
    return filing_services.approve(filing=paper["filing"], by=steward, grant=grant)


def _correct(paper, quantity="520"):
    return carbon.correct_activity(
        record=paper["record"],
        quantity=Decimal(quantity),
        unit="t",
        data_source="production_metering",
        reason="入炉煤量录入错误",
        entered_by=paper["filer"][0],
    )


@pytest.mark.parametrize("stage", ["in_review", "locked"])
def test_every_writer_of_the_month_refuses_while_in_review_or_locked(paper, stage):
    if stage == "locked":
        _approve(paper)
    filer = paper["filer"][0]
    writers = {
        "correct": lambda: _correct(paper),
        "output": lambda: carbon.record_output(
            kind="electricity_generated",
            year=YEAR,
            month=MONTH,
            value=Decimal("10"),
            unit="MWh",
            entered_by=filer,
        ),
        "stock": lambda: ledgers.record_fuel_stock(
            source=paper["coal"],
            year=YEAR,
            month=MONTH,
            opening_stock=Decimal("100"),
            receipts=Decimal("500"),
            closing_stock=Decimal("100"),
            unit="t",
            by=filer,
        ),
        "compute": lambda: accounting.compute_month(
            enterprise=paper["enterprise"], year=YEAR, month=MONTH, by=filer
        ),
        "batch": lambda: carbon.record_activity_batch(
            entries=[
                carbon.ActivityEntry(paper["coal"], YEAR, MONTH, Decimal("530"), "t", "production_metering")
            ],
            by=filer,
            reason="导入",
        ),
    }
    for name, write in writers.items():
        with pytest.raises(MonthFrozen) as refused:
            write()
        assert refused.value.code == "month_frozen", name
        assert ("审核中" if stage == "in_review" else "已锁定") in refused.value.messages[0]
    assert ActivityRecord.objects.filter(year=YEAR, month=MONTH).count() == 1
    assert not OutputRecord.objects.filter(year=YEAR, month=MONTH).exists()


def test_after_an_approved_reopen_the_month_takes_a_correction_again(paper):
    locked = _approve(paper)
    filer, filer_grant = paper["filer"]
    steward, steward_grant = paper["steward"]
    filing_services.request_reopen(filing=locked, reason="入炉煤量录入错误", by=filer, grant=filer_grant)
    with pytest.raises(MonthFrozen):  # requested, not yet approved: still frozen
        _correct(paper)
    filing_services.approve_reopen(filing=locked, by=steward, grant=steward_grant)
    assert _correct(paper).version == 2


def test_a_returned_month_takes_corrections(paper):
    steward, grant = paper["steward"]
    filing_services.return_for_changes(
        filing=paper["filing"], comments={"FZ-COAL": "请核对入炉煤量"}, by=steward, grant=grant
    )
    assert _correct(paper).version == 2


def test_the_database_refuses_a_frozen_months_rows_written_around_the_application(paper):
    _approve(paper)
    record = paper["record"]
    statements = [
        (
            "INSERT INTO carbon_activityrecord (source_id, year, month, version, quantity, unit, data_source,"
            " correction_reason, entered_by_id, entered_at) VALUES (%s, %s, %s, 2, 400, 't',"
            " 'production_metering', 'x', %s, now())",
            [record.source_id, YEAR, MONTH, record.entered_by_id],
        ),
        (
            "INSERT INTO carbon_measuredparameter (record_id, name, value, unit) VALUES (%s, 'ncv', 20, 'GJ/t')",
            [record.pk],
        ),
        (
            "INSERT INTO carbon_outputrecord (kind, year, month, version, value, unit, correction_reason,"
            " entered_by_id, entered_at) VALUES ('electricity_generated', %s, %s, 1, 5, 'MWh', '', %s, now())",
            [YEAR, MONTH, record.entered_by_id],
        ),
    ]
    for sql, params in statements:
        with pytest.raises(IntegrityError, match="month_frozen"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
    assert ActivityRecord.objects.filter(year=YEAR, month=MONTH).count() == 1
    # Another month of the same source is not frozen.
    with connection.cursor() as cursor:
        cursor.execute(
            statements[0][0].replace("%s, %s, %s, 2", "%s, %s, %s, 1"), [record.source_id, YEAR, 7, 1]
        )


def test_a_lab_report_cited_by_a_locked_month_cannot_be_changed_in_place(paper):
    from django.core.files.uploadedfile import SimpleUploadedFile

    filer = paper["filer"][0]
    report = carbon.add_lab_report(
        upload=SimpleUploadedFile("煤质.pdf", b"%PDF-1.4 coal", content_type="application/pdf"),
        lab_name="湖州检测",
        accreditation="CMA",
        accreditation_number="CMA-1",
        report_number="FZ-2025-06",
        sampling_start=datetime.date(2025, 6, 1),
        sampling_end=datetime.date(2025, 6, 30),
        by=filer,
    )
    steward, grant = paper["steward"]
    filing_services.return_for_changes(
        filing=paper["filing"], comments={"FZ-COAL": "补充检测报告"}, by=steward, grant=grant
    )
    corrected = carbon.correct_activity(
        record=paper["record"],
        quantity=Decimal("500"),
        unit="t",
        data_source="production_metering",
        reason="补充检测报告",
        parameters=[carbon.ParameterInput("ncv", Decimal("20.9"), "GJ/t", report)],
        entered_by=filer,
    )
    filing = filing_services.submit(
        enterprise=paper["enterprise"], filing=paper["filing"], by=filer, grant=paper["filer"][1]
    )
    filing_services.approve(filing=filing, by=steward, grant=grant)
    assert corrected.parameters.get().lab_report == report
    with pytest.raises(IntegrityError, match="month_frozen"), transaction.atomic():
        LabReport.objects.filter(pk=report.pk).update(lab_name="另一家")


def test_approval_refuses_content_changed_since_submission(paper):
    """Belt and braces: even a row slipped in with every trigger off is not sealed unchecked."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")  # superuser only: user triggers off
    ActivityRecord.objects.create(
        source=paper["coal"],
        year=YEAR,
        month=MONTH,
        version=2,
        supersedes=paper["record"],
        quantity=Decimal("400"),
        unit="t",
        data_source="production_metering",
        correction_reason="绕过应用",
        entered_by=paper["filer"][0],
    )
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = origin")
    with pytest.raises(ValidationError) as refused:
        _approve(paper)
    assert refused.value.code == "changed_since_submission"
    assert MonthlyFiling.objects.get(pk=paper["filing"].pk).status == FilingStatus.IN_REVIEW


def test_the_api_answers_409_month_frozen_and_writes_nothing(paper, client):
    _approve(paper)
    client.force_login(paper["filer"][0])
    response = client.post(
        "/e/nth-paper/api/v1/activity/",
        {
            "source": "FZ-COAL",
            "year": YEAR,
            "month": MONTH,
            "quantity": "520",
            "unit": "t",
            "data_source": "production_metering",
            "reason": "更正",
        },
        content_type="application/json",
    )
    assert response.status_code == 409, response.content
    assert response.json()["non_field_errors"][0]["code"] == "month_frozen"
    with schema_context(paper["enterprise"].schema_name):
        assert ActivityRecord.objects.filter(year=YEAR, month=MONTH).count() == 1


def test_the_month_page_says_frozen_and_refuses_in_chinese(paper, client):
    client.force_login(paper["filer"][0])
    url = f"/e/nth-paper/carbon/{YEAR}/{MONTH}/"
    page = client.get(url)
    assert "本月存证审核中，数据不可修改" in page.content.decode()
    coal = paper["coal"]
    response = client.post(
        url,
        {
            "source": coal.pk,
            f"s{coal.pk}-quantity": "520",
            f"s{coal.pk}-unit": "t",
            f"s{coal.pk}-data_source": "production_metering",
            f"s{coal.pk}-reason": "更正",
        },
        follow=True,
    )
    assert "正在审核中，数据不可修改" in response.content.decode()
    with schema_context(paper["enterprise"].schema_name):
        assert ActivityRecord.objects.filter(year=YEAR, month=MONTH).count() == 1


def _filled_template(enterprise, year: int, month: int) -> bytes:
    """The intake template of one month, every row filled the way a user would."""
    from openpyxl import load_workbook

    from steward.intake.columns import BASE_COLUMNS, DATA_SHEET
    from steward.intake.template import build_template

    column = {c.key: index for index, c in enumerate(BASE_COLUMNS, start=1)}
    workbook = load_workbook(io.BytesIO(build_template(enterprise=enterprise, year=year, months=[month])))
    sheet = workbook[DATA_SHEET]
    for row in range(3, sheet.max_row + 1):
        if sheet.cell(row=row, column=column["source_code"]).value is not None:
            sheet.cell(row=row, column=column["quantity"], value=100)
            sheet.cell(row=row, column=column["data_source"], value="结算凭证")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_the_intake_confirm_refuses_a_month_submitted_after_its_dry_run(power, filer):
    from steward.intake import services as intake

    data = _filled_template(power, 2024, 3)
    report = intake.dry_run(enterprise=power, name="三月.xlsx", data=data)
    assert report.ok
    MonthlyFiling.objects.create(
        year=2024, month=3, status=FilingStatus.IN_REVIEW, deadline=datetime.date(2024, 4, 30)
    )
    with pytest.raises(intake.ImportRejected):
        intake.confirm(enterprise=power, sha256=report.sha256, name=report.name, by=filer)
    coal = EmissionSource.objects.filter(kind="fuel_combustion").first()
    with pytest.raises(MonthFrozen):  # and the writer below refuses on its own
        carbon.record_activity_batch(
            entries=[carbon.ActivityEntry(coal, 2024, 3, Decimal("1"), coal.unit, "production_metering")],
            by=filer,
            reason="导入",
        )
    assert not ActivityRecord.objects.filter(year=2024, month=3).exists()


@pytest.fixture
def power(db):
    enterprise = Enterprise.objects.get(slug="cx-power")
    with schema_context(enterprise.schema_name):
        yield enterprise


@pytest.fixture
def filer(db):
    return User.objects.get(username="power.filer")
