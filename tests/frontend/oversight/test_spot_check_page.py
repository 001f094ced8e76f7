"""The inspector's spot-check queue: a month with nothing submitted says why and leads to one that has."""

import pytest
from django.utils import timezone

from steward.oversight.models import MonthFact


@pytest.mark.django_db
def test_an_empty_month_leads_to_the_latest_month_that_was_submitted(user_client):
    client = user_client("city.inspector")
    today = timezone.localdate()  # the current month is not over: nothing of it is submitted yet
    text = client.get(f"/bureau/spot-checks/?year={today.year}&month={today.month}").content.decode()
    assert 'data-testid="empty-queue"' in text and "企业报送后，该月才进入抽查队列" in text
    latest = MonthFact.objects.filter(status__in=("in_review", "locked")).order_by("-year", "-month").first()
    link = f'href="?year={latest.year}&amp;month={latest.month}" data-testid="latest-submitted"'
    assert link in text and f"查看最近有报送的月份：{latest.year}年{latest.month}月" in text
    queue = client.get(f"/bureau/spot-checks/?year={latest.year}&month={latest.month}").content.decode()
    assert 'data-testid="risk-' in queue and 'data-testid="empty-queue"' not in queue
