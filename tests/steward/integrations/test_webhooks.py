"""Webhooks: signed with HMAC-SHA256, retried after a failure, never crossing to another tenant; the e企管
file drop writes a signed package per locked month."""

import csv
import hashlib
import hmac
import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import PermissionDenied
from django_tenants.utils import schema_context

from steward.annual import selectors as annual_selectors
from steward.demo.period import last_month
from steward.filing.models import FilingStatus, MonthlyFiling
from steward.integrations import eqiguan, webhooks
from steward.integrations.models import WebhookDelivery
from steward.integrations.tasks import deliver_webhook
from tenants.access import workspace_access
from tenants.models import Enterprise, User
from workflows import annual_report as annual

pytestmark = pytest.mark.django_db


class Receiver:
    """A local HTTP server on 127.0.0.1 answering with the given status codes in turn."""

    def __init__(self, statuses):
        self.statuses, self.requests = list(statuses), []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def endpoint_for(slug: str, url: str, events=("filing.submitted", "filing.locked")):
    enterprise = Enterprise.objects.get(slug=slug)
    admin = User.objects.get(username="power.admin" if slug == "cx-power" else "cement.admin")
    return webhooks.add_endpoint(enterprise=enterprise, url=url, events=list(events), by=admin)


PAYLOAD = {
    "event": "filing.submitted",
    "filing": {"year": 2031, "month": 1, "version": 1, "status": "in_review"},
}


def test_signature_verifies_and_rejects_tampering_and_replays():
    body = b'{"event":"filing.locked"}'
    header = webhooks.signature_header("s3cret", body, timestamp=1_700_000_000)
    expected = hmac.new(b"s3cret", b"1700000000." + body, hashlib.sha256).hexdigest()
    assert header == f"t=1700000000,v1={expected}"
    assert webhooks.verify("s3cret", header, body, now=1_700_000_100)
    assert not webhooks.verify("s3cret", header, body + b" ", now=1_700_000_100)
    assert not webhooks.verify("other", header, body, now=1_700_000_100)
    assert not webhooks.verify("s3cret", header, body, now=1_700_000_000 + 301)


def test_only_the_admin_adds_endpoints():
    power = Enterprise.objects.get(slug="cx-power")
    with pytest.raises(PermissionDenied):
        webhooks.add_endpoint(
            enterprise=power,
            url="https://example.org/h",
            events=["filing.locked"],
            by=User.objects.get(username="power.filer"),
        )


def test_retry_after_a_500_then_success_with_a_valid_signature():
    with Receiver([500, 200]) as receiver:
        endpoint, secret = endpoint_for("cx-power", receiver.url)
        [delivery] = webhooks.publish(schema=endpoint.enterprise.schema_name, payload=PAYLOAD)
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert delivery.attempts == 2
    assert [a.status_code for a in delivery.log.all()] == [500, 200]
    assert len(receiver.requests) == 2
    headers, body = receiver.requests[1]
    assert webhooks.verify(secret, headers["X-Steward-Signature"], body)
    assert headers["X-Steward-Event"] == "filing.submitted"
    assert receiver.requests[0][0]["X-Steward-Delivery"] == headers["X-Steward-Delivery"]
    sent = json.loads(body)
    assert sent["enterprise"]["slug"] == "cx-power" and sent["filing"]["month"] == 1


def test_failure_schedules_the_next_attempt_with_backoff():
    with Receiver([503]) as receiver:
        endpoint, _secret = endpoint_for("cx-power", receiver.url)
        delivery = WebhookDelivery.objects.create(endpoint=endpoint, event="filing.locked", body="{}")
        assert webhooks.attempt(delivery) is False
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.PENDING and delivery.last_status_code == 503
    gap = (delivery.next_retry_at - delivery.log.get().attempted_at).total_seconds()
    assert 25 <= gap <= 35
    assert webhooks.backoff(3) == 4 * webhooks.backoff(1)


def test_no_delivery_for_another_tenants_events():
    with Receiver([]) as receiver:
        cement_endpoint, _ = endpoint_for("wx-cement", receiver.url)
        power = Enterprise.objects.get(slug="cx-power")
        assert webhooks.publish(schema=power.schema_name, payload=PAYLOAD) == []
        foreign = WebhookDelivery.objects.create(
            endpoint=cement_endpoint, event="filing.submitted", body="{}"
        )
        assert deliver_webhook(tenant_schema=power.schema_name, delivery_id=foreign.pk) == "refused"
    assert receiver.requests == []
    foreign.refresh_from_db()
    assert foreign.attempts == 0


def test_filing_transition_emits_after_commit(django_capture_on_commit_callbacks):
    power = Enterprise.objects.get(slug="cx-power")
    with Receiver([200]) as receiver:
        endpoint_for("cx-power", receiver.url, events=["filing.returned"])
        with schema_context(power.schema_name):
            filing = MonthlyFiling.objects.create(
                year=2031, month=4, deadline="2031-05-15", status=FilingStatus.RETURNED
            )
            with django_capture_on_commit_callbacks(execute=True):
                webhooks.filing_changed(filing, "returned")
    assert len(receiver.requests) == 1
    assert json.loads(receiver.requests[0][1])["event"] == "filing.returned"


def test_annual_report_signed_and_accepted_are_sent_with_the_signed_pdf_hash(
    django_capture_on_commit_callbacks,
):
    cement = Enterprise.objects.get(slug="wx-cement")
    year = last_month()[0] - 1  # the demo's cement plant has this year compiled

    def who(name):
        user = User.objects.get(username=name)
        return {"by": user, "grant": workspace_access(user, cement), "enterprise": cement}

    with Receiver([200, 200]) as receiver:
        endpoint_for("wx-cement", receiver.url, events=["annual_report.submitted", "annual_report.accepted"])
        with schema_context(cement.schema_name):
            report = annual.send_for_review(
                report=annual_selectors.current_report(year), **who("cement.filer")
            )
            document = annual.approve_review(report=report, **who("greencarbon.reviewer"))
            with django_capture_on_commit_callbacks(execute=True):
                annual.sign(
                    report=annual_selectors.current_report(year),
                    password="huzhou-demo-2024",
                    attested=True,
                    document_sha256=document.sha256,
                    **who("cement.signatory"),
                )
            with django_capture_on_commit_callbacks(execute=True):
                annual.accept(report=annual_selectors.current_report(year), **who("city.inspector"))
    sent = [json.loads(body) for _headers, body in receiver.requests]
    assert [event["event"] for event in sent] == ["annual_report.submitted", "annual_report.accepted"]
    assert sent[0]["annual_report"]["document_sha256"] == document.sha256
    assert sent[0]["annual_report"]["year"] == year and sent[1]["annual_report"]["status"] == "accepted"
    assert sent[0]["enterprise"]["slug"] == "wx-cement"


def test_eqiguan_package_per_locked_month(settings, tmp_path):
    settings.EQIGUAN_DROP_DIR = str(tmp_path)
    power = Enterprise.objects.get(slug="cx-power")
    payload = {
        "year": 2031,
        "month": 2,
        "version": 1,
        "records": [
            {
                "id": 1,
                "source": "=GRID",
                "version": 1,
                "quantity": "850",
                "unit": "MWh",
                "data_source": "settlement_voucher",
                "parameters": [],
            }
        ],
        "outputs": [],
        "result": None,
    }
    with schema_context(power.schema_name):
        MonthlyFiling.objects.create(
            year=2031,
            month=2,
            deadline="2031-03-15",
            status=FilingStatus.LOCKED,
            sealed_payload=payload,
            seal="a" * 64,
        )
        path = eqiguan.export_locked_month(year=2031, month=2)
        assert eqiguan.export_locked_month(year=2031, month=3) is None  # not locked: nothing
    assert path.parent == tmp_path / power.credit_code
    json_bytes = path.read_bytes()
    csv_bytes = path.with_suffix(".csv").read_bytes()
    document = json.loads(json_bytes)
    assert document["seal"] == "a" * 64 and document["enterprise"]["credit_code"] == power.credit_code
    rows = list(csv.reader(io.StringIO(csv_bytes.decode("utf-8-sig"))))
    assert rows[1][3] == "'=GRID"  # formula injection escaped
    signature = path.with_suffix(".sig").read_text().split()[0]
    assert signature == eqiguan.signature(json_bytes, csv_bytes)
    settings.EQIGUAN_DROP_DIR = ""
    with schema_context(power.schema_name):
        assert eqiguan.export_locked_month(year=2031, month=2) is None
