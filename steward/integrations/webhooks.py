"""Outbound webhooks on filing and annual report state changes, signed with HMAC-SHA256 and retried with exponential backoff.

Headers sent with every delivery (docs/api.md):
    X-Steward-Event: filing.submitted | filing.returned | filing.locked | filing.reopened
                     | annual_report.submitted | annual_report.accepted | annual_report.returned
    X-Steward-Delivery: <uuid, the same on every retry of one delivery>
    X-Steward-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + raw body)>
The receiver recomputes v1 over the raw body and rejects timestamps older than five minutes.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import secrets
import socket
import time
import urllib.error
import urllib.request
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from steward.integrations.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from tenants import access
from tenants.models import Enterprise

MAX_ATTEMPTS = 6
BACKOFF_SECONDS = 30  # 30 s, 1 min, 2 min, 4 min, 8 min between the six attempts
TIMEOUT_SECONDS = 5
TOLERANCE_SECONDS = 300


def sign(secret: str, timestamp: int, body: bytes) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def signature_header(secret: str, body: bytes, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={sign(secret, timestamp, body)}"


def verify(secret: str, header: str, body: bytes, *, now: int | None = None) -> bool:
    """What a receiver does: recompute the signature and refuse stale timestamps (replays)."""
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    now = int(time.time()) if now is None else now
    if abs(now - timestamp) > TOLERANCE_SECONDS:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), parts.get("v1", ""))


def backoff(attempts: int) -> int:
    return BACKOFF_SECONDS * 2 ** (attempts - 1)


def add_endpoint(*, enterprise: Enterprise, url: str, events: list[str], by) -> tuple[WebhookEndpoint, str]:
    """Register a receiver; returns the endpoint and its signing secret (shown once)."""
    if not access.can(by, "manage_webhooks", enterprise):
        raise PermissionDenied("manage_webhooks")
    if not events or set(events) - set(WebhookEndpoint.Event.values):
        raise ValidationError({"events": ValidationError("请选择有效的事件。", code="invalid_event")})
    scheme = urlsplit(url).scheme
    if scheme != "https" and not settings.WEBHOOK_ALLOW_HTTP:
        raise ValidationError({"url": ValidationError("接收地址必须使用 https。", code="https_required")})
    secret = secrets.token_hex(32)
    endpoint = WebhookEndpoint(
        enterprise=enterprise, url=url, secret=secret, events=sorted(events), created_by=by
    )
    endpoint.full_clean()
    endpoint.save()
    return endpoint, secret


def disable_endpoint(*, endpoint: WebhookEndpoint, by) -> None:
    if not access.can(by, "manage_webhooks", endpoint.enterprise):
        raise PermissionDenied("manage_webhooks")
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(is_active=False)


def _publish_after_commit(subject: str, event: str, details: dict) -> None:
    """Queue the event for this workspace's endpoints once the state change commits (never on a rollback)."""
    schema = connection.schema_name
    payload = {"event": f"{subject}.{event}", "occurred_at": timezone.now().isoformat(), subject: details}
    transaction.on_commit(lambda: publish(schema=schema, payload=payload))


def filing_changed(filing, event: str) -> None:
    """Queue `filing.<event>` for delivery after the commit."""
    _publish_after_commit(
        "filing",
        event,
        {
            "year": filing.year,
            "month": filing.month,
            "version": filing.version,
            "status": filing.status,
            "seal": filing.seal or None,
        },
    )


def annual_report_changed(report, event: str) -> None:
    """Queue `annual_report.<event>` when a report reaches, or comes back from, the bureau.
    `document_sha256` is the signed PDF's hash (the copy of record the signature is bound to)."""
    signature = report.signatures.order_by("-pk").first()
    _publish_after_commit(
        "annual_report",
        event,
        {
            "year": report.year,
            "version": report.version,
            "status": report.status,
            "total_tco2": f"{report.total_tco2:f}",
            "document_sha256": signature.document_sha256 if signature else None,
        },
    )


# The published events (steward/events.py) that machine clients may subscribe to, and how each is described.
DELIVERED = {
    "filing.submitted": filing_changed,
    "filing.returned": filing_changed,
    "filing.locked": filing_changed,
    "filing.reopened": filing_changed,
    "annual_report.submitted": annual_report_changed,
    "annual_report.accepted": annual_report_changed,
    "annual_report.returned": annual_report_changed,
}


def on_event(event) -> None:
    """Subscriber (registered in IntegrationsConfig.ready): deliver the events clients can subscribe to."""
    describe = DELIVERED.get(event.name)
    if describe is not None:
        describe(event.record, event.what)


def register() -> None:
    from steward import events

    for name in DELIVERED:
        events.subscribe(name, on_event)


def publish(*, schema: str, payload: dict) -> list[WebhookDelivery]:
    """Queue one delivery per active endpoint of this schema's enterprise subscribed to the event."""
    from steward.integrations import eqiguan
    from steward.integrations.tasks import deliver_webhook
    from tenants.outbox import enqueue

    enterprise = Enterprise.objects.get(workspace__schema_name=schema)
    payload = {**payload, "enterprise": {"slug": enterprise.slug, "credit_code": enterprise.credit_code}}
    deliveries = []
    for endpoint in WebhookEndpoint.objects.filter(enterprise=enterprise, is_active=True):
        if payload["event"] in endpoint.events:
            delivery = WebhookDelivery.objects.create(endpoint=endpoint, event=payload["event"], body="")
            body = {"id": str(delivery.event_id), **payload}
            delivery.body = json.dumps(body, ensure_ascii=False, sort_keys=True)
            delivery.save(update_fields=["body"])
            deliveries.append(delivery)
    for delivery in deliveries:  # a broker outage keeps the task for the relay (tenants/outbox.py)
        enqueue(deliver_webhook, tenant_schema=schema, delivery_id=delivery.pk)
    if payload["event"] == "filing.locked":
        enqueue(
            eqiguan.export_locked_month_task,
            tenant_schema=schema,
            year=payload["filing"]["year"],
            month=payload["filing"]["month"],
        )
    return deliveries


def _destination_allowed(url: str) -> bool:
    """No deliveries to loopback, private or link-local addresses unless configured (SSRF)."""
    if settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS:
        return True
    try:
        infos = socket.getaddrinfo(urlsplit(url).hostname, None)
    except (socket.gaierror, UnicodeError):
        return False
    addresses = {ipaddress.ip_address(info[4][0]) for info in infos}
    return all(a.is_global for a in addresses)


def attempt(delivery: WebhookDelivery) -> bool:
    """One POST; logs the attempt and schedules the next one (exponential backoff) or gives up."""
    endpoint = delivery.endpoint
    body = delivery.body.encode()
    started = time.monotonic()
    status, error = None, ""
    if not _destination_allowed(endpoint.url):
        error = "destination not allowed (private network)"
    else:
        request = urllib.request.Request(
            endpoint.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "User-Agent": "carbon-steward-webhooks/1",
                "X-Steward-Event": delivery.event,
                "X-Steward-Delivery": str(delivery.event_id),
                "X-Steward-Signature": signature_header(endpoint.secret, body),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
                status = response.status
        except urllib.error.HTTPError as failure:
            status = failure.code
        except (urllib.error.URLError, OSError) as failure:
            error = str(failure)[:300]
    WebhookAttempt.objects.create(
        delivery=delivery,
        status_code=status,
        error=error,
        duration_ms=int((time.monotonic() - started) * 1000),
    )
    delivery.attempts += 1
    delivery.last_status_code = status
    if status is not None and 200 <= status < 300:
        delivery.status, delivery.delivered_at, delivery.next_retry_at = (
            WebhookDelivery.Status.DELIVERED,
            timezone.now(),
            None,
        )
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status, delivery.next_retry_at = WebhookDelivery.Status.FAILED, None
    else:
        delivery.next_retry_at = timezone.now() + timedelta(seconds=backoff(delivery.attempts))
    delivery.save(update_fields=["attempts", "last_status_code", "status", "delivered_at", "next_retry_at"])
    return delivery.status == WebhookDelivery.Status.DELIVERED
