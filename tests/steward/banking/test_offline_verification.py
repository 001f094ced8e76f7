"""docs/banking.md, "Verifying a figure offline", followed step by step as a bank would: fetch the file, hash
its bytes, read the figure, re-serialise canonically, walk the chain; and the same for an annual report."""

from __future__ import annotations

import hashlib
import json
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from steward.annual.models import AnnualReport
from steward.banking import verification
from steward.filing.models import FilingStatus, MonthlyFiling
from tenants.models import Enterprise

GENESIS = "0" * 64


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _canonical(value) -> bytes:
    """The serialisation the document states, written here from its words (not imported from the code)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _cement():
    return Enterprise.objects.get(slug="wx-cement")


def _locked_in_lock_order() -> list[MonthlyFiling]:
    with schema_context(_cement().schema_name):
        rows = list(
            MonthlyFiling.objects.filter(status=FilingStatus.LOCKED)
            .exclude(seal="")
            .order_by("locked_at", "pk")
        )
    connection.set_schema_to_public()
    return rows


@pytest.mark.django_db
def test_a_monthly_figure_verifies_offline_as_documented(user_client):
    bank = user_client("huzhou.bank")
    cement = _cement()
    page = bank.get(f"/bank/{cement.pk}/").content.decode()
    locked = _locked_in_lock_order()
    assert len(locked) >= 12
    previous_seal = GENESIS
    for filing in locked:
        # the seal the page shows beside the month's figure, and the link to its file
        link = f"/bank/{cement.pk}/seal/{filing.year}/{filing.month}.json"
        assert link in page
        row = re.search(rf"<tr>\s*<td>{filing.year}年{filing.month}月</td>.*?</tr>", page, re.S).group(0)
        shown_seal = re.search(r"[0-9a-f]{64}", row).group(0)

        response = bank.get(link)
        assert response.status_code == 200
        data = response.content
        assert f"v{filing.version}.json" in response["Content-Disposition"]

        # step 1: sha256sum of the file is the seal shown
        assert _sha256(data) == shown_seal == filing.seal
        # step 2: the figure inside is the month's emissions shown (the page rounds to two places)
        sealed = json.loads(data)
        assert set(sealed) == {"payload", "previous"}
        payload = sealed["payload"]
        assert (payload["year"], payload["month"], payload["version"]) == (
            filing.year,
            filing.month,
            filing.version,
        )
        total = Decimal(payload["result"]["total_tco2"])
        assert f"{total.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}" in row
        # step 3: re-formatted on the way? parse and serialise canonically: the same hash
        reformatted = json.dumps(sealed, indent=2, ensure_ascii=True).encode()
        assert _sha256(reformatted) != shown_seal
        assert _sha256(_canonical(json.loads(reformatted))) == shown_seal
        # step 4: the chain, in lock order
        assert sealed["previous"] == previous_seal
        previous_seal = shown_seal


@pytest.mark.django_db
def test_an_annual_report_verifies_offline_as_documented():
    """The cement plant's compiled report (the demo does not send it to the bureau, so it is checked on the
    bytes the file serves; the page links them once the report is submitted)."""
    with schema_context(_cement().schema_name):
        report = AnnualReport.objects.order_by("-year", "-version").first()
        data = verification.annual_report_bytes(report)
        month_seals = {
            (f.year, f.month): f.seal for f in MonthlyFiling.objects.filter(year=report.year, status="locked")
        }
    connection.set_schema_to_public()
    # step 1: sha256sum of the file is the content hash
    assert _sha256(data) == report.payload_sha256
    # step 2: the total and the months' seals inside
    content = json.loads(data)
    assert Decimal(content["total_tco2"]) == report.total_tco2
    assert {(content["year"], m["month"]): m["seal"] for m in content["months"]} == month_seals
    # step 3: re-serialised canonically after a re-format: the same hash
    assert _sha256(_canonical(json.loads(json.dumps(content, indent=1)))) == report.payload_sha256


@pytest.mark.django_db
def test_a_file_is_refused_without_consent_to_figures(user_client):
    """The power plant consents to grade and seal status only: the files hold figures, so they are not served."""
    power = Enterprise.objects.get(slug="cx-power")
    response = user_client("huzhou.bank").get(f"/bank/{power.pk}/seal/2025/1.json")
    assert response.status_code == 404
