"""The English home of a reviewer reads as English: the task list is "To do" with a "Handle" button, not the
word-for-word "Task" / "Handling" it was."""

import datetime
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from tenants.models import Enterprise
from tests.steward.oversight.conftest import make_fact  # noqa: F401, F811


@pytest.mark.django_db
def test_the_reviewers_task_list_reads_as_english(user_client):
    client = user_client("greencarbon.reviewer")
    client.cookies["django_language"] = "en"
    assert "<h2>To do</h2>" in client.get("/home/").content.decode()
    task = {
        "enterprise": Enterprise.objects.get(slug="wx-cement"),
        "year": 2026,
        "month": 10,
        "deadline": datetime.date(2026, 12, 10),
        "days_left": 5,
        "what": "",
    }
    with translation.override("en"):
        row = render_to_string("frontend/public/_tasks.html", {"tasks": [task]})
    assert ">Handle</a>" in row and "Handling" not in row


@pytest.mark.django_db
def test_the_english_dashboard_states_the_city_total_in_grouped_tonnes(make_fact, user_client):  # noqa: F811
    """English has no 万: the total read "8.20 ×10⁴ t", an exponent on a page."""
    import re

    make_fact("wx-cement", 2019, 3, total_tco2=Decimal("30000"))
    make_fact("cx-power", 2019, 3, total_tco2=Decimal("52000"))
    client = user_client("city.viewer")
    client.cookies["django_language"] = "en"
    text = client.get("/bureau/?year=2019&month=3").content.decode()
    total = re.search(r'<strong data-testid="total-tco2">([^<]+)</strong>', text).group(1)
    assert total == "82,000 t"
    assert "×10⁴" not in text


@pytest.mark.django_db
def test_the_english_dashboard_heading_uses_english_punctuation(user_client):
    client = user_client("city.viewer")
    client.cookies["django_language"] = "en"
    text = client.get("/bureau/").content.decode()
    assert '<h1 class="page-title" data-testid="bureau-dashboard">Oversight dashboard: 湖州市</h1>' in text
