"""Structured request logging: every log line carries the request id, the tenant schema and the user id."""

from __future__ import annotations

import contextvars
import logging
import uuid

from django.conf import settings
from django.db import connection

_request_id = contextvars.ContextVar("request_id", default="-")
_user_id = contextvars.ContextVar("user_id", default=None)


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        record.user_id = getattr(record, "user_id", None) or _user_id.get()
        try:
            record.tenant = getattr(connection, "schema_name", None)
        except Exception:  # noqa: BLE001 - logging must never fail (e.g. at interpreter exit)
            record.tenant = None
        return True


class RequestContextMiddleware:
    """Sets the request id for logs, echoes it as X-Request-ID, and adds the content security policy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request.headers.get("X-Request-ID") or uuid.uuid4().hex
        id_token = _request_id.set(request_id[:64])
        user_token = _user_id.set(request.user.pk if request.user.is_authenticated else None)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(id_token)
            _user_id.reset(user_token)
        response["X-Request-ID"] = request_id[:64]
        if not request.path.startswith(settings.CONTENT_SECURITY_POLICY_EXEMPT_PREFIXES):
            response.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


SCRUBBED_REQUEST_KEYS = ("cookies", "data", "headers", "query_string", "env")


def scrub_sentry_event(event: dict, hint: dict) -> dict:
    """Strip personal and enterprise data from error reports: request bodies, cookies, headers and user
    details never leave the platform; the user id and tenant schema stay so an error can be traced."""
    request = event.get("request") or {}
    for key in SCRUBBED_REQUEST_KEYS:
        if key in request:
            request[key] = "[scrubbed]"
    user = event.get("user") or {}
    event["user"] = {"id": user["id"]} if "id" in user else {}
    event.setdefault("tags", {})["tenant"] = getattr(connection, "schema_name", None)
    return event
