"""Reviewer comments per data item: written beside each item when returning, shown to the filer beside it."""

import pytest
from django_tenants.utils import schema_context

from steward.demo.period import last_month
from steward.filing.models import FilingStatus, MonthlyFiling, ReviewComment
from tenants.models import Enterprise, User
from workflows import monthly_filing as services


@pytest.fixture
def filing_in_review():
    """The power plant's first demo month, submitted (its steward greencarbon.reviewer reviews)."""
    power = Enterprise.objects.get(slug="cx-power")
    with schema_context(power.schema_name):
        filer = User.objects.get(username="power.filer")
        filing = services.open_filing(enterprise=power, year=last_month()[0], month=1, by=filer)
        MonthlyFiling.objects.filter(pk=filing.pk).update(status=FilingStatus.IN_REVIEW)
        return filing


@pytest.mark.django_db
def test_reviewer_comments_each_item_and_the_filer_sees_them_next_to_the_items(user_client, filing_in_review):
    filing = filing_in_review
    url = f"/e/cx-power/filing/{filing.year}/{filing.month}/"
    reviewer = user_client("greencarbon.reviewer")
    page = reviewer.get(url).content.decode()
    for item in ("month", "U1-COAL", "GRID", "electricity_supplied"):
        assert f'name="comment-{item}"' in page  # one comment box per item of the month
    returned = reviewer.post(
        url + "return/",
        {
            "comment-U1-COAL": "入炉煤量与皮带秤日报合计不符，请核对",
            "comment-GRID": "",
            "comment-month": "请补充说明",
        },
    )
    assert returned.status_code == 302
    with schema_context("ent_cx_power"):
        filing.refresh_from_db()
        assert filing.status == FilingStatus.RETURNED
        assert dict(ReviewComment.objects.filter(filing=filing).values_list("item", "text")) == {
            "U1-COAL": "入炉煤量与皮带秤日报合计不符，请核对",
            "month": "请补充说明",
        }  # empty boxes leave no comment
    filer = user_client("power.filer")
    filing_page = filer.get(url).content.decode()
    coal_row = filing_page[filing_page.index('data-testid="item-U1-COAL"') :]
    assert "入炉煤量与皮带秤日报合计不符" in coal_row[: coal_row.index("</tr>")]
    month_page = filer.get(f"/e/cx-power/carbon/{filing.year}/{filing.month}/").content.decode()
    assert 'data-testid="comment-U1-COAL"' in month_page and "请补充说明" in month_page
    assert 'name="comment-U1-COAL"' not in filing_page  # the filer reads comments, does not write them


@pytest.mark.django_db
def test_returning_without_any_comment_is_refused(user_client, filing_in_review):
    filing = filing_in_review
    url = f"/e/cx-power/filing/{filing.year}/{filing.month}/"
    response = user_client("greencarbon.reviewer").post(
        url + "return/", {"comment-U1-COAL": "  "}, follow=True
    )
    assert "退回须至少填写一条审核意见" in response.content.decode()
    with schema_context("ent_cx_power"):
        filing.refresh_from_db()
        assert filing.status == FilingStatus.IN_REVIEW
