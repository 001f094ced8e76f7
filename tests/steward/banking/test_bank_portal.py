"""Banks (碳效贷): a bank officer sees exactly the enterprises that consent to its bank today, exactly the
consented items, each figure with its seal hash; every read lands in the enterprise's access log; a revoked or
ended consent stops working on the next request.

Expectations are written from the demo world (steward/demo: 湖州银行 holds a consent of the cement plant for
every item, of the power plant for grade and seal status, and a revoked one of the dyeing mill)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from steward.filing.models import FilingStatus, MonthlyFiling
from tenants import services
from tenants.models import Bank, BankConsent, Enterprise, User

BANK_USER = "huzhou.bank"
CONSENTED = {"wx-cement", "cx-power"}
SLUGS = ["cx-power", "wx-cement", "nx-dyeing", "dq-fibre", "aj-wood", "nth-paper"]
SECTIONS = {
    "grade": 'data-testid="bank-grade"',
    "emissions": 'data-testid="bank-emissions"',
    "intensity": 'data-testid="bank-intensity"',
    "seal_status": 'data-testid="bank-seal-status"',
}


def _enterprise(slug: str) -> Enterprise:
    return Enterprise.objects.get(slug=slug)


def _locked_cement_months() -> list[MonthlyFiling]:
    with schema_context(_enterprise("wx-cement").schema_name):
        rows = list(MonthlyFiling.objects.filter(status=FilingStatus.LOCKED).order_by("year", "month"))
    connection.set_schema_to_public()
    return rows


@pytest.mark.django_db
def test_the_portal_lists_exactly_the_enterprises_that_consent_today(user_client):
    page = user_client(BANK_USER).get("/bank/").content.decode()
    listed = {slug for slug in SLUGS if f'data-testid="bank-enterprise-{slug}"' in page}
    assert listed == CONSENTED
    assert "南浔丝韵印染有限公司" not in page  # the dyeing mill revoked its consent


@pytest.mark.django_db
@pytest.mark.parametrize("slug", SLUGS)
def test_a_bank_reads_exactly_the_consented_items(user_client, slug):
    expected = {"wx-cement": set(SECTIONS), "cx-power": {"grade", "seal_status"}}.get(slug)
    response = user_client(BANK_USER).get(f"/bank/{_enterprise(slug).pk}/")
    if expected is None:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    page = response.content.decode()
    shown = {item for item, marker in SECTIONS.items() if marker in page}
    assert shown == expected
    if "emissions" not in expected:
        assert "tCO2" not in page and "bank_month_seal" not in page and "/seal/" not in page


@pytest.mark.django_db
def test_each_sealed_figure_carries_its_seal(user_client):
    months = _locked_cement_months()
    assert len(months) >= 12
    page = user_client(BANK_USER).get(f"/bank/{_enterprise('wx-cement').pk}/").content.decode()
    year = months[0].year
    total = sum(Decimal(m.sealed_payload["result"]["total_tco2"]) for m in months if m.year == year)
    from steward.formatting import quantity

    assert quantity(total, "tCO2") in page  # the year as the sum of its twelve sealed months
    for filing in months:
        assert filing.seal in page
        assert f"/bank/{_enterprise('wx-cement').pk}/seal/{filing.year}/{filing.month}.json" in page
    assert 'data-testid="chain-intact"' in page


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_page_says_how_to_verify_a_figure_without_pointing_into_the_repository(user_client, language):
    """It said "方法见平台文档 docs/banking.md", a file a bank's credit officer cannot open."""
    client = user_client(BANK_USER)
    client.cookies["django_language"] = language
    page = client.get(f"/bank/{_enterprise('wx-cement').pk}/").content.decode()
    assert "docs/" not in page
    steps = page.split('data-testid="bank-verification-steps"', 1)[1].split("</details>", 1)[0]
    assert steps.count("<li>") == 4 and "SHA-256" in steps and "total_tco2" in steps
    assert ("How to verify a figure offline" in steps) == (language == "en")


@pytest.mark.django_db
def test_the_grade_is_the_workspace_grade_with_its_seals(user_client):
    from steward.compliance import selectors
    from steward.compliance.services import record_value_added
    from steward.demo.period import last_month

    cement = _enterprise("wx-cement")
    year = last_month()[0] - 1  # the year the demo's cement plant sealed in full (steward/demo/annual.py)
    with schema_context(cement.schema_name):
        record_value_added(
            year=year,
            value_added_10k_cny=Decimal("75000"),
            industry_average_l=Decimal("22.0"),
            industry_average_source="测试",
            evidence_upload=SimpleUploadedFile("va.pdf", b"%PDF-1.4 va", "application/pdf"),
            entered_by=User.objects.get(username="cement.filer"),
        )
        grading = selectors.carbon_efficiency(year).grading
    connection.set_schema_to_public()
    assert grading is not None
    page = user_client(BANK_USER).get(f"/bank/{cement.pk}/").content.decode()
    section = page.split('data-testid="bank-grade"')[1].split("</section>")[0]
    assert f"grade-{grading.grade.grade}" in section
    assert all(filing.seal in section for filing in _locked_cement_months() if filing.year == year)


@pytest.mark.django_db
def test_others_are_refused_the_portal(user_client):
    for username in ("power.admin", "greencarbon.reviewer", "city.viewer", "platform"):
        client = user_client(username)
        assert client.get("/bank/").status_code == 403
        assert client.get(f"/bank/{_enterprise('wx-cement').pk}/").status_code == 403


@pytest.mark.django_db
def test_every_bank_read_is_in_the_enterprise_access_log(user_client):
    cement = _enterprise("wx-cement")
    bank = user_client(BANK_USER)
    assert bank.get(f"/bank/{cement.pk}/").status_code == 200
    month = _locked_cement_months()[0]
    assert bank.get(f"/bank/{cement.pk}/seal/{month.year}/{month.month}.json").status_code == 200
    log = user_client("cement.admin").get("/e/wx-cement/access-log/").content.decode()
    assert "银行 湖州银行股份有限公司 于 " in log
    assert "查看了 碳效码等级、年度排放量、排放强度趋势、存证状态" in log
    assert f"查看了 存证核验文件（{month.year}-{month.month:02d}）" in log
    # the power plant's log holds none of it
    power_log = user_client("power.admin").get("/e/cx-power/access-log/").content.decode()
    assert "湖州银行股份有限公司" not in power_log


@pytest.mark.django_db
def test_revoking_stops_the_bank_on_its_next_request(user_client, client):
    cement = _enterprise("wx-cement")
    bank_client = user_client(BANK_USER)
    assert bank_client.get(f"/bank/{cement.pk}/").status_code == 200
    consent = BankConsent.objects.get(enterprise=cement, revocation__isnull=True)
    admin = type(client)()
    admin.force_login(User.objects.get(username="cement.admin"))
    response = admin.post(f"/e/wx-cement/banks/{consent.pk}/revoke/", {"reason": "授信已结束"})
    assert response.status_code == 302
    assert bank_client.get(f"/bank/{cement.pk}/").status_code == 404
    month = _locked_cement_months()[0]
    assert bank_client.get(f"/bank/{cement.pk}/seal/{month.year}/{month.month}.json").status_code == 404
    assert "wx-cement" not in bank_client.get("/bank/").content.decode()
    page = admin.get("/e/wx-cement/banks/").content.decode()
    assert "授信已结束" in page and "已撤销" in page


@pytest.mark.django_db
def test_a_consent_ends_after_its_end_date(user_client, clock):
    clock("2031-06-30T23:00")
    power = _enterprise("cx-power")
    bank = Bank.objects.get(name_zh="湖州银行股份有限公司")
    consent = services.grant_bank_consent(
        enterprise=power,
        bank=bank,
        items={"emissions"},
        ends_on=datetime.date(2031, 6, 30),
        by=User.objects.get(username="power.admin"),
    )
    client = user_client(BANK_USER)
    page = client.get(f"/bank/{power.pk}/").content.decode()
    assert (
        SECTIONS["emissions"] in page and SECTIONS["grade"] not in page
    )  # the new grant replaced the old one
    clock("2031-07-01T00:05")
    assert timezone.localdate() > consent.ends_on
    assert client.get(f"/bank/{power.pk}/").status_code == 404
    assert "cx-power" not in client.get("/bank/").content.decode()


@pytest.mark.django_db
def test_consents_are_append_only_and_attributable(user_client):
    power = _enterprise("cx-power")
    admin = user_client("power.admin")
    bank = Bank.objects.get(name_zh="湖州银行股份有限公司")
    ends = (timezone.localdate() + datetime.timedelta(days=90)).isoformat()
    response = admin.post(
        "/e/cx-power/banks/grant/", {"bank": bank.pk, "items": ["emissions", "intensity"], "ends_on": ends}
    )
    assert response.status_code == 302
    consents = list(BankConsent.objects.filter(enterprise=power, bank=bank).order_by("granted_at", "pk"))
    assert len(consents) == 2
    old, new = consents
    assert old.revocation.reason == services.SUPERSEDED_REASON
    assert new.items == {"emissions", "intensity"} and new.granted_by.username == "power.admin"
    with pytest.raises(DatabaseError), transaction.atomic():
        BankConsent.objects.filter(pk=new.pk).update(ends_on=datetime.date(2099, 1, 1))
    with pytest.raises(DatabaseError), transaction.atomic():
        old.revocation.delete()


@pytest.mark.django_db
def test_only_the_enterprise_admin_manages_consents(user_client):
    bank = Bank.objects.get(name_zh="湖州银行股份有限公司")
    for username in ("power.filer", "greencarbon.reviewer", "city.viewer", BANK_USER):
        client = user_client(username)
        assert client.get("/e/cx-power/banks/").status_code == 403
        response = client.post(
            "/e/cx-power/banks/grant/", {"bank": bank.pk, "items": ["grade"], "ends_on": "2099-01-01"}
        )
        assert response.status_code == 403
    assert BankConsent.objects.filter(enterprise__slug="cx-power").count() == 1


@pytest.mark.django_db
def test_the_intensity_is_the_sealed_total_over_the_sealed_output(user_client):
    from steward.formatting import quantity

    cement = _enterprise("wx-cement")
    page = user_client(BANK_USER).get(f"/bank/{cement.pk}/").content.decode()
    section = page.split(SECTIONS["intensity"])[1].split("</section>")[0]
    for filing in _locked_cement_months():
        payload = filing.sealed_payload
        clinker = next(o for o in payload["outputs"] if o["kind"] == "clinker_output")
        intensity = Decimal(payload["result"]["total_tco2"]) / Decimal(clinker["value"])
        assert f"{quantity(intensity.quantize(Decimal('0.000001')))} tCO2/t" in section
        assert filing.seal in section


@pytest.mark.django_db
def test_the_bank_api_answers_the_same_consent(user_client):
    cement, power, dyeing = (_enterprise(s) for s in ("wx-cement", "cx-power", "nx-dyeing"))
    client = user_client(BANK_USER)
    listed = client.get("/api/v1/bank/enterprises/").json()["results"]
    assert {row["id"] for row in listed} == {cement.pk, power.pk}
    body = client.get(f"/api/v1/bank/enterprises/{power.pk}/").json()
    assert body["consent"]["items"] == ["grade", "seal_status"]
    assert "emissions" not in body and "intensity" not in body and "seal_status" in body
    body = client.get(f"/api/v1/bank/enterprises/{cement.pk}/").json()
    months = {(m["year"], m["month"]): m for year in body["emissions"] for m in year["months"]}
    for filing in _locked_cement_months():
        month = months[(filing.year, filing.month)]
        assert month["seal"] == filing.seal
        assert Decimal(month["total_tco2"]) == Decimal(filing.sealed_payload["result"]["total_tco2"])
    assert client.get(f"/api/v1/bank/enterprises/{dyeing.pk}/").status_code == 404
    assert user_client("city.viewer").get("/api/v1/bank/enterprises/").status_code == 403
    log = user_client("cement.admin").get("/e/wx-cement/access-log/").content.decode()
    assert "/api/v1/bank/enterprises/" in log and "银行 湖州银行股份有限公司 于 " in log


@pytest.mark.django_db
def test_the_grade_lists_each_months_seal_on_its_own_line_under_a_summary(user_client):
    """Nine 64-character seals in one table cell ran together into an unreadable block: the grade names how many
    months it rests on and lists each month with its seal, folded until the officer opens it."""
    from steward.compliance.services import record_value_added
    from steward.demo.period import last_month

    cement = _enterprise("wx-cement")
    year = last_month()[0] - 1  # the year the demo's cement plant sealed in full
    with schema_context(cement.schema_name):
        record_value_added(
            year=year,
            value_added_10k_cny=Decimal("75000"),
            industry_average_l=Decimal("22.0"),
            industry_average_source="测试",
            evidence_upload=SimpleUploadedFile("va.pdf", b"%PDF-1.4 va", "application/pdf"),
            entered_by=User.objects.get(username="cement.filer"),
        )
    connection.set_schema_to_public()
    page = user_client(BANK_USER).get(f"/bank/{cement.pk}/").content.decode()
    section = page.split('data-testid="bank-grade"')[1].split("</section>")[0]
    assert '<details data-testid="grade-seals">' in section
    months = [filing for filing in _locked_cement_months() if filing.year == year]
    assert len(months) == 12
    for filing in months:
        assert f'<li>{filing.year}年{filing.month}月 <span class="mono">{filing.seal}</span></li>' in section
    assert f"{len(months)}个月份的存证哈希（与下表各月一致）" in section
