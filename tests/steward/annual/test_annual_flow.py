"""The annual report: compiled from locked months only, reviewed, signed against the PDF's hash, decided by
the bureau, corrected as a new version. Uses the demo world's cement plant, whose last year is fully locked."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django_tenants.utils import schema_context

from reports.testing import pdf_text
from steward import formatting
from steward.annual import selectors
from steward.annual.deadlines import annual_report_deadline
from steward.annual.documents import ANNUAL_REPORT
from steward.annual.models import AnnualReport, ReportStatus
from steward.demo.period import last_month
from steward.documents import copy_of_record
from steward.documents.models import IssuedDocument
from steward.filing.models import MonthlyFiling
from tenants.access import workspace_access
from tenants.attempts import SIGNING
from tenants.models import Enterprise, Notification, User
from workflows import annual_report as services
from workflows import monthly_filing as filing_services

YEAR = last_month()[0] - 1
PASSWORD = "huzhou-demo-2024"


@pytest.fixture
def cement():
    enterprise = Enterprise.objects.get(slug="wx-cement")
    with schema_context(enterprise.schema_name):
        yield enterprise


def who(name: str, enterprise: Enterprise):
    user = User.objects.get(username=name)
    return {"by": user, "grant": workspace_access(user, enterprise), "enterprise": enterprise}


def to_signature(enterprise) -> tuple[AnnualReport, IssuedDocument]:
    report = selectors.current_report(YEAR)
    report = services.send_for_review(report=report, **who("cement.filer", enterprise))
    document = services.approve_review(report=report, **who("greencarbon.reviewer", enterprise))
    return AnnualReport.objects.get(pk=report.pk), document


@pytest.mark.django_db
def test_the_year_is_the_sum_of_its_locked_months(cement):
    report = selectors.current_report(YEAR)
    months = MonthlyFiling.objects.filter(year=YEAR, status="locked")
    assert report.total_tco2 == sum(Decimal(f.sealed_payload["result"]["total_tco2"]) for f in months)
    assert [m["month"] for m in report.payload["months"]] == list(range(1, 13))
    (clinker,) = report.payload["intensities"]
    assert clinker["unit"] == "tCO2/t"
    assert Decimal(clinker["value"]) == (report.total_tco2 / Decimal(clinker["denominator"])).quantize(
        Decimal("0.0001")
    )
    assert report.deadline == datetime.date(YEAR + 1, 3, 31)


@pytest.mark.django_db
def test_unlocked_or_missing_months_are_named_and_block_compilation(cement):
    filer, reviewer = who("cement.filer", cement), who("greencarbon.reviewer", cement)
    march = filing_services.current_filing(YEAR, 3)
    filing_services.request_reopen(filing=march, reason="3月皮带秤校准后补录", **_no_enterprise(filer))
    filing_services.approve_reopen(filing=march, **_no_enterprise(reviewer))
    with pytest.raises(ValidationError) as refused:
        services.compile_report(year=YEAR, reason="补录", **who("cement.admin", cement))
    assert refused.value.code == "months_not_locked"
    assert "3月：草稿（第2版）" in refused.value.messages[0]
    with pytest.raises(ValidationError, match="1月：未创建存证"):
        services.compile_report(year=YEAR - 5, **who("cement.admin", cement))


def _no_enterprise(actor: dict) -> dict:
    return {"by": actor["by"], "grant": actor["grant"]}


@pytest.mark.django_db
def test_each_step_is_taken_only_by_its_role(cement):
    report = selectors.current_report(YEAR)
    for name in ("cement.signatory", "greencarbon.reviewer", "city.inspector"):
        with pytest.raises(PermissionDenied):
            services.send_for_review(report=report, **who(name, cement))
    report = services.send_for_review(report=report, **who("cement.filer", cement))
    for name in ("cement.filer", "cement.signatory", "city.inspector"):
        with pytest.raises(PermissionDenied):
            services.approve_review(report=report, **who(name, cement))
    # The steward has a live carbon engagement, so the enterprise admin does not review.
    with pytest.raises(PermissionDenied):
        services.approve_review(report=report, **who("cement.admin", cement))
    document = services.approve_review(report=report, **who("greencarbon.manager", cement))
    for name in ("cement.admin", "greencarbon.reviewer"):
        with pytest.raises(PermissionDenied):
            services.sign(
                report=report,
                password=PASSWORD,
                attested=True,
                document_sha256=document.sha256,
                **who(name, cement),
            )
    services.sign(
        report=report,
        password=PASSWORD,
        attested=True,
        document_sha256=document.sha256,
        **who("cement.signatory", cement),
    )
    for name in ("wuxing.viewer", "cement.admin", "greencarbon.manager"):
        with pytest.raises(PermissionDenied):
            services.accept(report=report, **who(name, cement))
    report = services.accept(report=report, **who("city.inspector", cement))
    assert report.status == ReportStatus.ACCEPTED
    assert [e.action for e in report.events.all()] == [
        "compiled",
        "sent_for_review",
        "review_approved",
        "signed",
        "accepted",
    ]


@pytest.mark.django_db
def test_signing_needs_the_password_the_attestation_and_the_hash_of_the_pdf_shown(cement):
    report, document = to_signature(cement)
    signatory = who("cement.signatory", cement)
    with pytest.raises(ValidationError, match="密码不正确"):
        services.sign(
            report=report, password="wrong", attested=True, document_sha256=document.sha256, **signatory
        )
    with pytest.raises(ValidationError, match="勾选"):
        services.sign(
            report=report, password=PASSWORD, attested=False, document_sha256=document.sha256, **signatory
        )
    with pytest.raises(ValidationError, match="报告文件已变更"):
        services.sign(report=report, password=PASSWORD, attested=True, document_sha256="0" * 64, **signatory)
    assert AnnualReport.objects.get(pk=report.pk).status == ReportStatus.AWAITING_SIGNATURE
    signature = services.sign(
        report=report, password=PASSWORD, attested=True, document_sha256=document.sha256, **signatory
    )
    assert signature.document_sha256 == document.sha256
    status = services.signature_status(AnnualReport.objects.get(pk=report.pk))
    assert status.valid and status.signature == signature
    assert Notification.objects.filter(user__username="city.inspector", title__contains="待接收").exists()


@pytest.mark.django_db
def test_guessing_the_signing_password_locks_signing_for_a_while(cement):
    cache.clear()
    report, document = to_signature(cement)
    signatory = who("cement.signatory", cement)
    attempt = {"report": report, "attested": True, "document_sha256": document.sha256, **signatory}
    for guess in range(SIGNING.limit):
        with pytest.raises(ValidationError, match="密码不正确"):
            services.sign(password=f"guess-{guess}", **attempt)
    with pytest.raises(ValidationError, match="签署已锁定 15 分钟") as locked:
        services.sign(password=PASSWORD, **attempt)  # even the right password, until the lock expires
    assert locked.value.code == "signing_locked"
    assert AnnualReport.objects.get(pk=report.pk).status == ReportStatus.AWAITING_SIGNATURE
    cache.clear()  # the lock has expired
    services.sign(password=PASSWORD, **attempt)
    assert AnnualReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


@pytest.mark.django_db
def test_a_different_pdf_for_the_signed_version_invalidates_the_signature(cement):
    report, document = to_signature(cement)
    services.sign(
        report=report,
        password=PASSWORD,
        attested=True,
        document_sha256=document.sha256,
        **who("cement.signatory", cement),
    )
    copy_of_record.issue_document(
        kind=ANNUAL_REPORT,
        subject=report.document_subject,
        content=b"%PDF-1.4 a different rendering",
        by=User.objects.get(username="cement.admin"),
        filename="x.pdf",
    )
    status = services.signature_status(AnnualReport.objects.get(pk=report.pk))
    assert not status.valid and "失效" in status.reason


@pytest.mark.django_db
def test_bureau_return_then_correction_is_a_new_version_that_needs_a_new_signature(cement):
    report, document = to_signature(cement)
    services.sign(
        report=report,
        password=PASSWORD,
        attested=True,
        document_sha256=document.sha256,
        **who("cement.signatory", cement),
    )
    with pytest.raises(ValidationError, match="理由"):
        services.return_from_bureau(report=report, reason=" ", **who("city.inspector", cement))
    services.return_from_bureau(
        report=report, reason="熟料产量与统计报表不一致", **who("city.inspector", cement)
    )
    with pytest.raises(ValidationError, match="原因"):
        services.compile_report(year=YEAR, **who("cement.filer", cement))
    corrected = services.compile_report(
        year=YEAR, reason="按统计报表核对熟料产量", **who("cement.filer", cement)
    )
    old = AnnualReport.objects.get(pk=report.pk)
    assert (old.status, corrected.version, corrected.supersedes_id) == (ReportStatus.SUPERSEDED, 2, old.pk)
    assert services.signature_status(old).valid  # the old version stays signed and readable
    assert not services.signature_status(corrected).valid
    assert corrected.correction_reason == "按统计报表核对熟料产量"
    assert Notification.objects.filter(
        user__username="cement.filer", title__contains="被主管部门退回"
    ).exists()


@pytest.mark.django_db
def test_a_version_in_other_hands_cannot_be_corrected(cement):
    report = services.send_for_review(report=selectors.current_report(YEAR), **who("cement.filer", cement))
    with pytest.raises(ValidationError) as refused:
        services.compile_report(year=YEAR, reason="x", **who("cement.filer", cement))
    assert refused.value.code == "not_correctable" and report.status == ReportStatus.IN_REVIEW


@pytest.mark.django_db
def test_compiled_content_and_signatures_cannot_be_rewritten(cement):
    report, document = to_signature(cement)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AnnualReport.objects.filter(pk=report.pk).update(total_tco2=1)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM annual_annualreport WHERE id = %s", [report.pk])
    AnnualReport.objects.filter(pk=report.pk).update(status=ReportStatus.AWAITING_SIGNATURE)  # state may move


@pytest.mark.django_db
def test_the_issued_pdf_is_the_report_of_that_version(cement):
    report, document = to_signature(cement)
    with schema_context(cement.schema_name):
        text = pdf_text(copy_of_record.read_document(document))
    assert f"{YEAR}年度温室气体排放报告" in text
    for phrase in (
        "湖州青山水泥有限公司",
        "二、核算边界",
        "三、排放源",
        "活动数据及来源",
        "八、数据质量管理",
        "声明与签署",
    ):
        assert phrase in text
    assert report.payload_sha256 in text.replace("\n", "")
    assert "单位熟料碳排放强度" in text and formatting.tonnes(report.total_tco2) in text


def test_deadline_is_data_per_year_with_the_national_rule_as_fallback():
    assert annual_report_deadline(2024)[0] == datetime.date(2025, 3, 31)
    due, basis = annual_report_deadline(2031)
    assert due == datetime.date(2032, 3, 31) and "未列入期限表" in basis
