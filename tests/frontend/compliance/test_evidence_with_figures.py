"""Evidence attached to a compliance figure is stored by the figure's service in the same transaction: a
refused figure leaves no file behind."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django_tenants.utils import schema_context

from steward.compliance.models import ValueAddedRecord
from steward.evidence.models import EvidenceFile
from tenants.models import Enterprise

BADGE = "/e/cx-power/carbon-efficiency/2024/"
FIGURES = {
    "value_added_10k_cny": "80000",
    "zero_carbon_t": "0",
    "industry_average_l": "10",
    "industry_average_source": "湖州市经信局2024年电力行业平均值",
}


def _counts():
    connection.set_schema_to_public()
    with schema_context(Enterprise.objects.get(slug="cx-power").schema_name):
        return EvidenceFile.objects.count(), ValueAddedRecord.objects.filter(year=2024).count()


def test_a_refused_correction_stores_no_evidence_file(power_2024, user_client):
    client = user_client("power.admin")
    first = SimpleUploadedFile("增加值.pdf", b"%PDF-1.4 value added", "application/pdf")
    assert client.post(BADGE, FIGURES | {"evidence_file": first}).status_code == 302
    files, records = _counts()
    assert records == 1
    second = SimpleUploadedFile("增加值更正.pdf", b"%PDF-1.4 value added, corrected", "application/pdf")
    refused = client.post(BADGE, FIGURES | {"value_added_10k_cny": "90000", "evidence_file": second})
    assert refused.status_code == 200 and "必须说明原因" in refused.content.decode()
    assert _counts() == (files, 1)  # neither the figure nor its file
    third = SimpleUploadedFile("增加值更正.pdf", b"%PDF-1.4 value added, corrected", "application/pdf")
    fixed = client.post(
        BADGE, FIGURES | {"value_added_10k_cny": "90000", "evidence_file": third, "reason": "统计局终审数"}
    )
    assert fixed.status_code == 302
    assert _counts() == (files + 1, 2)
