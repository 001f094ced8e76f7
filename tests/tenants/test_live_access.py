"""Access follows live data: an engagement that ends or is revoked stops working on the next request."""

import datetime

import pytest
from django.utils import timezone

from tenants.models import Engagement, EnterpriseMembership, User


def _engagement(firm_name_fragment: str, slug: str) -> Engagement:
    return Engagement.objects.get(firm__name_zh__contains=firm_name_fragment, enterprise__slug=slug)


@pytest.mark.django_db
def test_revocation_by_the_enterprise_admin_cuts_the_steward_off_on_the_next_request(client):
    steward = User.objects.get(username="greencarbon.reviewer")
    client.force_login(steward)
    assert client.get("/e/cx-power/").status_code == 200

    admin_client = client.__class__()
    admin_client.force_login(User.objects.get(username="power.admin"))
    engagement = _engagement("绿碳", "cx-power")
    response = admin_client.post(f"/e/cx-power/engagements/{engagement.pk}/revoke/", {"reason": "合同终止"})
    assert response.status_code == 302

    engagement.refresh_from_db()
    assert engagement.status == "revoked" and engagement.revoked_by.username == "power.admin"
    # Same session, no new login: refused at once, and the client disappears from the steward's home page.
    assert client.get("/e/cx-power/").status_code == 403
    assert client.get("/e/cx-power/api/v1/evidence/").status_code == 403
    assert "长兴湖能发电有限公司" not in client.get("/home/").content.decode()


@pytest.mark.django_db
def test_revocation_needs_a_reason(user_client):
    engagement = _engagement("绿碳", "cx-power")
    user_client("power.admin").post(f"/e/cx-power/engagements/{engagement.pk}/revoke/", {"reason": ""})
    engagement.refresh_from_db()
    assert engagement.status == "active"


@pytest.mark.django_db
def test_engagement_past_its_end_date_stops_working_without_anyone_acting(user_client):
    client = user_client("greencarbon.manager")
    assert client.get("/e/wx-cement/").status_code == 200
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Engagement.objects.filter(pk=_engagement("绿碳", "wx-cement").pk).update(
        starts_on=yesterday - datetime.timedelta(days=365), ends_on=yesterday
    )
    assert client.get("/e/wx-cement/").status_code == 403


@pytest.mark.django_db
def test_engagement_scope_governs_review_actions(user_client):
    from tenants.access import workspace_access
    from tenants.models import Enterprise

    manager = User.objects.get(username="greencarbon.manager")
    cement = workspace_access(manager, Enterprise.objects.get(slug="wx-cement"))  # carbon only
    power = workspace_access(
        User.objects.get(username="greencarbon.reviewer"), Enterprise.objects.get(slug="cx-power")
    )
    assert cement.allows("review_carbon") and not cement.allows("review_environmental")
    assert power.allows("review_carbon") and power.allows("review_environmental")


@pytest.mark.django_db
def test_ended_membership_closes_the_workspace(user_client):
    client = user_client("power.filer")
    assert client.get("/e/cx-power/").status_code == 200
    EnterpriseMembership.objects.filter(user__username="power.filer").update(revoked_at=timezone.now())
    assert client.get("/e/cx-power/").status_code == 403


@pytest.mark.django_db
def test_bureau_users_cannot_edit_enterprise_data(user_client):
    client = user_client("city.inspector")
    response = client.patch(
        "/e/cx-power/api/v1/enterprise/", {"address": "改"}, content_type="application/json"
    )
    assert response.status_code == 403
    page = client.get("/e/cx-power/").content.decode()
    assert "只读视图" in page


@pytest.mark.django_db
def test_switcher_lists_only_workspaces_the_user_can_open(user_client):
    page = user_client("greencarbon.reviewer").get("/home/").content.decode()
    assert "/e/cx-power/" in page and "/e/wx-cement/" in page
    assert "/e/nx-dyeing/" not in page  # ended engagement


@pytest.mark.django_db
def test_platform_admin_creates_an_engagement_and_the_steward_gains_access_at_once(user_client, client):
    from tenants.models import Enterprise, StewardFirm

    steward = client.__class__()
    steward.force_login(User.objects.get(username="qingyuan.reviewer"))
    assert steward.get("/e/wx-cement/").status_code == 403
    today = timezone.localdate()
    form = {
        "firm": StewardFirm.objects.get(name_zh__contains="清源").pk,
        "enterprise": Enterprise.objects.get(slug="wx-cement").pk,
        "covers_environmental": "on",
        "starts_on": today.isoformat(),
        "ends_on": (today + datetime.timedelta(days=365)).isoformat(),
    }
    admin = user_client("platform")
    assert admin.post("/engagements/", form).status_code == 302
    assert steward.get("/e/wx-cement/").status_code == 200
    duplicate = admin.post("/engagements/", form)
    assert "已有服务中的服务关系" in duplicate.content.decode()
    assert user_client("greencarbon.manager").post("/engagements/", form).status_code == 403


@pytest.mark.django_db
def test_expired_engagements_are_recorded_as_ended():
    from tenants.services import close_expired_engagements

    engagement = Engagement.objects.get(enterprise__slug="wx-cement")
    Engagement.objects.filter(pk=engagement.pk).update(
        ends_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert close_expired_engagements() == 1
    engagement.refresh_from_db()
    assert engagement.status == "ended"
