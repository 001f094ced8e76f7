"""When a month's filing moves, the people who act next hear it: in their inbox, on their home page's 待办, and
by e-mail through a real SMTP server on loopback (aiosmtpd), or by SMS / 浙政钉 through an adapter."""

from __future__ import annotations

import socket
from decimal import Decimal
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller
from django_tenants.utils import schema_context

from steward.carbon import services as carbon
from steward.demo.period import last_month
from tenants.access import workspace_access
from tenants.models import Enterprise, Notification, NotificationDelivery, User
from tenants.notifications import retry_failed, save_preference
from workflows import monthly_filing as filing_flow

pytestmark = pytest.mark.django_db


class Inbox:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 OK"

    def subjects_to(self, address: str) -> list[str]:
        return [str(make_header(decode_header(m["Subject"]))) for rcpt, m in self.messages if address in rcpt]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", controller.port, 5
    yield handler
    controller.stop()


class RecordingSms:
    sent: list[tuple[str, str]] = []

    def send(self, address: str, subject: str, body: str) -> None:
        RecordingSms.sent.append((address, subject))


@pytest.fixture
def paper(django_capture_on_commit_callbacks):
    """The paper mill's June 2025 in review: filer paper.filer; qingyuan.reviewer (carbon steward) reviews."""
    enterprise = Enterprise.objects.get(slug="nth-paper")
    filer = User.objects.get(username="paper.filer")
    steward = User.objects.get(username="qingyuan.reviewer")
    User.objects.filter(pk=filer.pk).update(email="filer@paper.example", phone="13800000001")
    User.objects.filter(pk=steward.pk).update(email="reviewer@qingyuan.example")
    filer.refresh_from_db()
    steward.refresh_from_db()
    with schema_context(enterprise.schema_name):
        facility = carbon.add_facility(code="NB1", name="1号锅炉", kind="boiler")
        coal = carbon.add_source(
            facility=facility,
            code="NB1-COAL",
            name="锅炉烟煤",
            kind="fuel_combustion",
            fuel_code="bituminous_coal",
            unit="t",
        )
        carbon.record_activity(
            source=coal,
            year=2025,
            month=6,
            quantity=Decimal("500"),
            unit="t",
            data_source="production_metering",
            entered_by=filer,
        )
        filer_grant = workspace_access(filer, enterprise)
        filing = filing_flow.open_filing(enterprise=enterprise, year=2025, month=6, by=filer)
        filing_flow.run_checks(enterprise=enterprise, filing=filing, by=filer)
        for finding in filing.findings.filter(severity="warning"):
            filing_flow.acknowledge(finding=finding, comment="迟报：系统切换", by=filer, grant=filer_grant)
        yield {
            "enterprise": enterprise,
            "filing": filing,
            "filer": (filer, filer_grant),
            "steward": (steward, workspace_access(steward, enterprise)),
            "capture": django_capture_on_commit_callbacks,
        }


def _titles(user: User) -> list[str]:
    return list(user.notifications.values_list("title", flat=True))


def test_submit_tells_the_reviewer_and_a_return_tells_the_filer_by_inbox_and_email(paper, smtp):
    enterprise, filing = paper["enterprise"], paper["filing"]
    filer, filer_grant = paper["filer"]
    steward, steward_grant = paper["steward"]
    with paper["capture"](execute=True):
        filing = filing_flow.submit(enterprise=enterprise, filing=filing, by=filer, grant=filer_grant)
    assert any("2025年6月月度数据已提交，待您审核" in title for title in _titles(steward))
    assert not any("待您审核" in title for title in _titles(filer))  # nobody is told what they just did
    assert any("待您审核" in subject for subject in smtp.subjects_to("reviewer@qingyuan.example"))

    with paper["capture"](execute=True):
        filing_flow.return_for_changes(
            filing=filing, comments={"NB1-COAL": "请补充入炉煤计量记录"}, by=steward, grant=steward_grant
        )
    returned = filer.notifications.get(title__contains="被退回")
    assert "请补充入炉煤计量记录" in returned.title and returned.kind == Notification.Kind.NOTICE
    assert returned.link == f"/e/{enterprise.slug}/filing/2025/6/"
    subjects = smtp.subjects_to("filer@paper.example")
    assert any("被退回" in subject for subject in subjects), subjects
    body = next(m for rcpt, m in smtp.messages if "filer@paper.example" in rcpt).get_payload(decode=True)
    assert f"/e/{enterprise.slug}/filing/2025/6/".encode() in body
    assert returned.deliveries.get(channel="email").sent_at is not None


def test_the_returned_month_is_on_the_filers_home_and_inbox_as_a_task(paper, user_client):
    year, month = last_month()  # due now, whatever the date the suite runs on
    label = f"{year}年{month}月"
    enterprise, filing = paper["enterprise"], paper["filing"]
    filer, filer_grant = paper["filer"]
    steward, steward_grant = paper["steward"]
    with paper["capture"](execute=True):
        filing = filing_flow.submit(enterprise=enterprise, filing=filing, by=filer, grant=filer_grant)
        filing_flow.return_for_changes(
            filing=filing, comments={"NB1-COAL": "请补充计量记录"}, by=steward, grant=steward_grant
        )
    with schema_context(enterprise.schema_name):
        filing_flow.open_filing(enterprise=enterprise, year=year, month=month, by=filer)  # a draft, due soon
    client = user_client("paper.filer")
    home = client.get("/home/").content.decode()
    assert "暂无待办" not in home
    tasks = home[home.index('data-testid="my-tasks"') : home.index('data-testid="recent-changes"')]
    assert label in tasks and "填报中，检查后提交审核" in tasks
    assert "被退回" in home[home.index('data-testid="recent-changes"') :]
    inbox = client.get("/inbox/").content.decode()
    assert label in inbox and "被退回" in inbox
    reviewer_home = user_client("qingyuan.reviewer").get("/home/").content.decode()
    reviewer_tasks = reviewer_home[reviewer_home.index('data-testid="my-tasks"') :]
    assert "暂无待办" in reviewer_tasks[: reviewer_tasks.index("</section>")]  # the filer has the ball now


def test_a_month_in_review_is_the_reviewers_task_not_the_filers(paper, user_client):
    enterprise, filing = paper["enterprise"], paper["filing"]
    filer, filer_grant = paper["filer"]
    with paper["capture"](execute=True):
        filing_flow.submit(enterprise=enterprise, filing=filing, by=filer, grant=filer_grant)
    reviewer_inbox = user_client("qingyuan.reviewer").get("/inbox/").content.decode()
    tasks = reviewer_inbox[reviewer_inbox.index('data-testid="review-tasks"') :]
    assert "2025年6月" in tasks and "待审核" in tasks
    filer_inbox = user_client("paper.filer").get("/inbox/").content.decode()
    filer_tasks = filer_inbox[
        filer_inbox.index('data-testid="review-tasks"') : filer_inbox.index("notifications")
    ]
    assert "2025年6月" not in filer_tasks


def test_preferences_choose_the_channels_and_an_unconnected_channel_cannot_be_chosen(paper, smtp, settings):
    enterprise, filing = paper["enterprise"], paper["filing"]
    filer, filer_grant = paper["filer"]
    steward, steward_grant = paper["steward"]
    save_preference(filer, chosen=["sms"])  # no e-mail; SMS not connected yet
    assert not filer.notification_preference.sms
    settings.STEWARD_SMS_ADAPTER = f"{__name__}.RecordingSms"
    RecordingSms.sent.clear()
    save_preference(filer, chosen=["sms"])
    with paper["capture"](execute=True):
        filing = filing_flow.submit(enterprise=enterprise, filing=filing, by=filer, grant=filer_grant)
        filing_flow.return_for_changes(
            filing=filing, comments={"month": "请补充"}, by=steward, grant=steward_grant
        )
    assert [address for address, _subject in RecordingSms.sent] == ["13800000001"]
    assert smtp.subjects_to("filer@paper.example") == []  # e-mail turned off
    assert filer.notifications.filter(title__contains="被退回").exists()  # the inbox always gets it


def test_the_settings_page_saves_choices(paper, user_client):
    client = user_client("paper.filer")
    page = client.get("/inbox/settings/").content.decode()
    assert "电子邮件" in page and "平台尚未接入该渠道" in page  # SMS and 浙政钉 have no gateway here
    response = client.post("/inbox/settings/", {"channels": []})
    assert response.status_code == 302
    assert User.objects.get(username="paper.filer").notification_preference.email is False


def test_a_failed_send_is_kept_and_sent_when_the_server_answers_again(paper, settings):
    enterprise, filing = paper["enterprise"], paper["filing"]
    filer, filer_grant = paper["filer"]
    closed = _free_port()  # nothing listens there
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed, 2
    with paper["capture"](execute=True):
        filing_flow.submit(enterprise=enterprise, filing=filing, by=filer, grant=filer_grant)
    delivery = NotificationDelivery.objects.get(address="reviewer@qingyuan.example")
    assert delivery.sent_at is None and delivery.attempts == 1 and "Connection" in delivery.error
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=closed)
    controller.start()
    try:
        assert retry_failed() >= 1
    finally:
        controller.stop()
    delivery.refresh_from_db()
    assert delivery.sent_at is not None and delivery.attempts == 2
    assert any("待您审核" in subject for subject in handler.subjects_to("reviewer@qingyuan.example"))


def test_nothing_is_told_twice_when_a_task_runs_again(paper):
    from tenants.notifications import deliver

    enterprise, filing = paper["enterprise"], paper["filing"]
    filer, filer_grant = paper["filer"]
    with paper["capture"](execute=True):
        filing_flow.submit(enterprise=enterprise, filing=filing, by=filer, grant=filer_grant)
    steward = paper["steward"][0]
    notice = steward.notifications.get(title__contains="待您审核")
    assert deliver([notice.pk]) == 0  # already sent (locmem backend): no second e-mail
    assert notice.deliveries.count() == 1


def test_an_acknowledgement_survives_a_re_check_on_a_later_day(paper, clock):
    """DQ-T01 names the days overdue, so its wording changes every day; the filer's note must not be lost."""
    enterprise, filing = paper["enterprise"], paper["filing"]
    filer, filer_grant = paper["filer"]
    with schema_context(enterprise.schema_name):
        noted = filing.findings.get(rule_id="DQ-T01")
        assert noted.acknowledgement
        clock("2027-02-15 09:00")  # weeks later: "逾期 N 天" says another N
        filing_flow.run_checks(enterprise=enterprise, filing=filing, by=filer, grant=filer_grant)
        again = filing.findings.get(rule_id="DQ-T01")
        assert again.message != noted.message and again.acknowledgement == noted.acknowledgement
        submitted = filing_flow.submit(enterprise=enterprise, filing=filing, by=filer, grant=filer_grant)
    assert submitted.status == "in_review"
