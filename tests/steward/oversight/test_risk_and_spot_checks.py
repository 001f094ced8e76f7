"""The spot-check queue ranks by stated reasons; only inspectors of the covering bureau record outcomes."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction

from steward.oversight import risk
from steward.oversight.models import MonthFact, SpotCheck
from steward.oversight.services import record_spot_check
from tenants.models import Enterprise, User


def texts(reasons) -> list[str]:
    return [reason.text for reason in reasons]


def test_reasons_name_waivers_acknowledgements_lateness_and_anomalies():
    fact = MonthFact(
        status="locked",
        waived_blocking=1,
        acknowledged_findings=2,
        missing_evidence=1,
        submitted_late=True,
        returned_count=1,
        intensity=Decimal("1.30"),
        total_tco2=Decimal("1300"),
    )
    reasons = risk.risk_reasons(
        fact,
        own_history=[Decimal("0.95"), Decimal("1.05")],
        industry_peers=[Decimal("0.80"), Decimal("0.90")],
    )
    assert texts(reasons) == [
        "阻断问题被豁免 1 项",
        "警告经企业确认 2 项",
        "证据类问题 1 项",
        "逾期提交",
        "曾被退回 1 次",
        # 1.30 against a history of 1.00 is exactly 30 %: not beyond the threshold, so no history reason.
        "较同行业同月中位数偏离 +53%",
    ]
    assert sum(reason.points for reason in reasons) == 30 + 20 + 20 + 15 + 5 + 20


def test_a_clean_month_in_line_with_its_history_has_no_reason():
    fact = MonthFact(status="locked", intensity=Decimal("0.82"))
    assert risk.risk_reasons(fact, own_history=[Decimal("0.80")], industry_peers=[Decimal("0.85")]) == []
    drop = MonthFact(status="locked", intensity=Decimal("0.40"))
    assert texts(risk.risk_reasons(drop, own_history=[Decimal("0.80")], industry_peers=[])) == [
        "较本企业历史均值偏离 -50%"
    ]


@pytest.fixture
def june(make_fact):
    for month in (3, 4, 5):
        make_fact("cx-power", 2026, month, intensity=Decimal("0.80"))
        make_fact("wx-cement", 2026, month, intensity=Decimal("0.85"))
    make_fact("cx-power", 2026, 6, intensity=Decimal("1.60"), submitted_late=True)  # doubled, and late
    make_fact("wx-cement", 2026, 6, intensity=Decimal("0.86"), acknowledged_findings=1)
    make_fact("nth-paper", 2026, 6, status="draft", waived_blocking=3)  # a draft is not in the queue


@pytest.mark.django_db
def test_queue_is_ranked_by_score_within_the_bureaus_jurisdiction(june):
    city = {"3305", *Enterprise.objects.values_list("jurisdiction_id", flat=True)}
    queue = risk.spot_check_queue(city, 2026, 6)
    assert [item.fact.enterprise.slug for item in queue] == ["cx-power", "wx-cement"]
    assert texts(queue[0].reasons) == ["逾期提交", "较本企业历史均值偏离 +100%"]
    assert queue[0].score == 15 + 25 and queue[1].score == 10
    wuxing = risk.spot_check_queue({"330502"}, 2026, 6)
    assert [item.fact.enterprise.slug for item in wuxing] == ["wx-cement"]


@pytest.mark.django_db
def test_only_an_inspector_covering_the_enterprise_records_a_spot_check(june, user_client):
    power = Enterprise.objects.get(slug="cx-power")
    cement = Enterprise.objects.get(slug="wx-cement")
    inspector = User.objects.get(username="changxing.inspector")
    with pytest.raises(PermissionDenied):
        record_spot_check(
            enterprise=power,
            year=2026,
            month=6,
            result="confirmed",
            notes="看过",
            by=User.objects.get(username="city.viewer"),
        )
    with pytest.raises(PermissionDenied):  # another district's enterprise
        record_spot_check(
            enterprise=cement, year=2026, month=6, result="confirmed", notes="看过", by=inspector
        )
    with pytest.raises(ValidationError):
        record_spot_check(enterprise=power, year=2026, month=6, result="confirmed", notes=" ", by=inspector)
    with pytest.raises(ValidationError):  # nothing submitted for July
        record_spot_check(
            enterprise=power, year=2026, month=7, result="confirmed", notes="看过", by=inspector
        )
    check = record_spot_check(
        enterprise=power, year=2026, month=6, result="issues", notes="6月入炉煤量与台账不符", by=inspector
    )
    assert (check.risk_score, check.inspector, check.result) == (40, inspector, "issues")
    with pytest.raises(DatabaseError), transaction.atomic():
        SpotCheck.objects.filter(pk=check.pk).update(result="confirmed")  # append-only

    response = user_client("city.viewer").post(
        f"/bureau/spot-checks/{power.pk}/2026/6/", {"result": "confirmed", "notes": "看过"}
    )
    assert response.status_code == 403
    page = user_client("city.inspector").get("/bureau/spot-checks/?year=2026&month=6").content.decode()
    assert "较本企业历史均值偏离 +100%" in page and "6月入炉煤量与台账不符" in page
    assert 'data-testid="spot-check-form"' in page
    viewer_page = user_client("city.viewer").get("/bureau/spot-checks/?year=2026&month=6").content.decode()
    assert "较本企业历史均值偏离 +100%" in viewer_page and 'data-testid="spot-check-form"' not in viewer_page
