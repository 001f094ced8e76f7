"""Permit changes are new versions; manual results cite their lab report; both through the permit page."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from steward.pollution import services
from steward.pollution.models import ManualMonitoring, Permit
from tenants.models import Enterprise

pytestmark = pytest.mark.django_db


def test_permit_change_is_a_new_version_keeping_outlets(power):
    permit = power["permit"]
    with pytest.raises(ValidationError):
        services.change_permit(permit=permit, spec=services.spec_from(permit), reason=" ", by=power["filer"])
    amounts = services.spec_from(permit).permitted_amounts | {"NOx": D("1100")}
    new = services.change_permit(
        permit=permit,
        spec=services.spec_from(permit, permitted_amounts=amounts),
        reason="超低排放改造后核减 NOx 许可量",
        by=power["filer"],
    )
    assert (new.version, new.supersedes, services.current_permit()) == (2, permit, new)
    assert sorted(new.outlets.values_list("code", flat=True)) == ["DA001", "DW001"]
    assert new.permitted_amounts.get(pollutant="NOx").tonnes_per_year == D("1100")
    assert permit.permitted_amounts.get(pollutant="NOx").tonnes_per_year == D("1200")  # version 1 unchanged
    with pytest.raises(ValidationError):  # only the latest version can be changed
        services.change_permit(
            permit=Permit.objects.get(pk=permit.pk),
            spec=services.spec_from(permit),
            reason="再次变更",
            by=power["filer"],
        )


def test_permit_page_registers_a_change_and_a_manual_result(power, user_client):
    client = user_client("greencarbon.reviewer")  # environmental steward
    response = client.post(
        "/e/cx-power/pollution/",
        {
            "change_permit": "1",
            "valid_from": "2025-06-01",
            "valid_to": "2030-05-31",
            "report_frequencies": ["monthly", "annual"],
            "amount_SO2": "650",
            "reason": "延续",
        },
    )
    assert response.status_code == 302
    report = SimpleUploadedFile("HZJC-2026-77.pdf", b"%PDF-1.4 lab", content_type="application/pdf")
    response = client.post(
        "/e/cx-power/pollution/",
        {
            "manual_result": "1",
            "outlet_code": "DW001",
            "pollutant": "COD",
            "sampled_on": "2026-02-10",
            "concentration": "38",
            "flow": "4200",
            "report_number": "HZJC-2026-77",
            "file": report,
        },
    )
    assert response.status_code == 302
    with schema_context(Enterprise.objects.get(slug="cx-power").schema_name):
        permit = services.current_permit()
        assert permit.version == 2 and permit.report_frequencies == ["monthly", "annual"]
        assert dict(permit.permitted_amounts.values_list("pollutant", "tonnes_per_year")) == {"SO2": D("650")}
        manual = ManualMonitoring.objects.get(report_number="HZJC-2026-77")
        assert manual.evidence.original_name == "HZJC-2026-77.pdf" and manual.sampled_on == datetime.date(
            2026, 2, 10
        )
    assert (
        user_client("changxing.inspector").post("/e/cx-power/pollution/", {"change_permit": "1"}).status_code
        == 403
    )


def test_demo_loader_is_idempotent():
    from steward.demo.pollution import load_demo_pollution

    load_demo_pollution()
    load_demo_pollution()  # a second run changes nothing
    for slug, outlets in (("cx-power", 2), ("nth-paper", 2)):
        with schema_context(Enterprise.objects.get(slug=slug).schema_name):
            assert Permit.objects.count() == 1
            assert services.current_permit().outlets.count() == outlets
            assert ManualMonitoring.objects.count() == 0
