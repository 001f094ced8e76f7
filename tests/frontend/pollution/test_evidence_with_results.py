"""A CEMS certificate uploaded with a certification is stored by the service, after its checks: a refused
certification leaves no file behind."""

from django.core.files.uploadedfile import SimpleUploadedFile

from steward.evidence.models import EvidenceFile
from steward.pollution.models import CemsCertification

OUTLETS = "/e/nth-paper/pollution/outlets/"


def _certify(client, standard: str, body: bytes):
    report = SimpleUploadedFile("比对监测报告.pdf", body, content_type="application/pdf")
    return client.post(
        OUTLETS,
        {
            "certify_cems": "1",
            "outlet_code": "DW001",
            "standard": standard,
            "valid_from": "2026-01-01",
            "valid_to": "2026-12-31",
            "file": report,
        },
    )


def test_a_refused_certification_stores_no_certificate(paper, user_client):
    client = user_client("paper.filer")
    files = EvidenceFile.objects.count()
    refused = _certify(client, "HJ 75-2017", b"%PDF-1.4 wrong standard")  # DW001 is a water outlet
    assert refused.status_code == 400 and "应符合 HJ 355-2019" in refused.content.decode()
    assert EvidenceFile.objects.count() == files
    assert _certify(client, "HJ 355-2019", b"%PDF-1.4 cems").status_code == 302
    assert EvidenceFile.objects.count() == files + 1
    assert CemsCertification.objects.get(outlet_code="DW001").evidence.original_name == "比对监测报告.pdf"
