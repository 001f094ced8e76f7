"""信息公开: the public-disclosure form is generated from the accepted annual report (never before), issued as
a PDF and an XLSX copy of record with the same figures, and shows people's labels, never codes."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context
from openpyxl import load_workbook

from reports.testing import pdf_text
from steward.annual import disclosure, selectors
from steward.demo.period import last_month
from steward.documents import copy_of_record
from steward.formatting import quantity
from tenants.access import workspace_access
from tenants.models import Enterprise, User
from workflows import annual_report as services

YEAR = last_month()[0] - 1
PASSWORD = "huzhou-demo-2024"
pytestmark = pytest.mark.django_db


def who(name: str, enterprise: Enterprise):
    user = User.objects.get(username=name)
    return {"by": user, "grant": workspace_access(user, enterprise), "enterprise": enterprise}


def test_the_form_is_issued_when_the_bureau_accepts_and_states_the_accepted_figures(user_client):
    cement = Enterprise.objects.get(slug="wx-cement")
    with schema_context(cement.schema_name):
        report = selectors.current_report(YEAR)
        with pytest.raises(ValidationError, match="已接收"):
            disclosure.sections(report)  # compiled, not accepted: no public form yet
        report = services.send_for_review(report=report, **who("cement.filer", cement))
        document = services.approve_review(report=report, **who("greencarbon.reviewer", cement))
        services.sign(
            report=report,
            password=PASSWORD,
            attested=True,
            document_sha256=document.sha256,
            **who("cement.signatory", cement),
        )
        assert disclosure.issued(report)["pdf"] is None
        report = services.accept(report=report, **who("city.inspector", cement))
        issued = disclosure.issued(report)
        pdf_bytes = copy_of_record.read_document(issued["pdf"])
        xlsx_bytes = copy_of_record.read_document(issued["xlsx"])
        total = quantity(report.payload["total_tco2"], "tCO2")
    text = pdf_text(pdf_bytes)
    for heading in (
        "一、基本信息",
        "二、温室气体排放量",
        "三、生产经营数据",
        "四、核算方法与数据质量",
        "五、报告报送",
    ):
        assert heading in text
    assert cement.credit_code in text and total in text and "熟料产量" in text
    assert "水泥熟料生产（CETS-AG-02.01-V01-2024）" in text and "待核实" in text
    for code in ("cn_cement_clinker", "clinker_output", "fuel[", "purchased_electricity"):
        assert code not in text
    sheet = load_workbook(io.BytesIO(xlsx_bytes)).active
    values = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert values["排放总量"] == f"{total} tCO2" and values["统一社会信用代码"] == cement.credit_code

    page = user_client("wuxing.viewer").get(f"/e/wx-cement/annual/{YEAR}/").content.decode()
    assert 'data-testid="disclosure-pdf"' in page  # the bureau reads the public form
    download = user_client("wuxing.viewer").get(f"/e/wx-cement/documents/{issued['pdf'].pk}/")
    assert download.status_code == 200 and download.content == pdf_bytes
