"""Lab reports: uploaded once as evidence, cited by the measured values that rely on them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from steward.carbon.models import EmissionSource, LabReport
from steward.quality.pack import check_month
from steward.quality.selectors import month_context
from tenants.models import Enterprise


@pytest.mark.django_db
def test_filer_registers_a_report_and_cites_it_when_entering_lab_values(user_client):
    client = user_client("power.filer")
    report_form = {
        "add_lab_report": "1",
        "lab-lab_name": "浙江省煤炭质量检测中心",
        "lab-accreditation": "CMA",
        "lab-accreditation_number": "201912345678",
        "lab-report_number": "ZJMT-2025-1101",
        "lab-sampling_start": "2025-11-01",
        "lab-sampling_end": "2025-11-30",
        "lab-file": SimpleUploadedFile("化验单.pdf", b"%PDF-1.4 coal 2025-11", "application/pdf"),
    }
    assert client.post("/e/cx-power/carbon/2025/11/", report_form).status_code == 302
    power = Enterprise.objects.get(slug="cx-power")
    with schema_context(power.schema_name):
        report = LabReport.objects.get(report_number="ZJMT-2025-1101")
        assert report.evidence.kind == "lab_report" and report.evidence.tenant_schema == "ent_cx_power"
        coal = EmissionSource.objects.get(code="U1-COAL")
    prefix = f"s{coal.pk}"
    entry = {
        "source": coal.pk,
        f"{prefix}-quantity": "126000",
        f"{prefix}-unit": "t",
        f"{prefix}-data_source": "production_metering",
        f"{prefix}-ncv": "20.9",
        f"{prefix}-ncv_unit": "GJ/t",
        f"{prefix}-carbon_content_ar": "53.1",
        f"{prefix}-lab_report": report.pk,
    }
    assert client.post("/e/cx-power/carbon/2025/11/", entry).status_code == 302
    with schema_context(power.schema_name):
        record = coal.records.get(year=2025, month=11)
        assert {p.name: p.lab_report_id for p in record.parameters.all()} == {
            "ncv": report.pk,
            "carbon_content_ar": report.pk,
        }
        findings = check_month(month_context(power, 2025, 11))
    coal_findings = {f.rule_id for f in findings if f.item == "U1-COAL"}
    assert "DQ-E01" not in coal_findings and "DQ-E02" not in coal_findings and "DQ-E03" not in coal_findings
    assert "DQ-C04" in coal_findings  # hydrogen, sulphur and moisture still missing from the entry


@pytest.mark.django_db
def test_report_numbers_are_unique_and_dates_ordered(user_client):
    client = user_client("power.filer")
    form = {
        "add_lab_report": "1",
        "lab-lab_name": "X",
        "lab-accreditation": "CNAS",
        "lab-accreditation_number": "L1234",
        "lab-report_number": "R-1",
        "lab-sampling_start": "2025-11-30",
        "lab-sampling_end": "2025-11-01",
        "lab-file": SimpleUploadedFile("r.pdf", b"%PDF r", "application/pdf"),
    }
    page = client.post("/e/cx-power/carbon/2025/11/", form)
    assert page.status_code == 200 and "采样结束日期不能早于开始日期" in page.content.decode()
