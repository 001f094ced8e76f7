"""Health check, production settings and structured logs."""

import io
import json
import logging
import os
import subprocess
import sys

import pytest
from django.conf import settings


@pytest.mark.django_db
def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_production_settings_pass_check_deploy():
    env = {
        **os.environ,
        "STEWARD_ENV": "production",
        "SECRET_KEY": "a" * 20 + "-production-secret-" + "b" * 30,
        "ALLOWED_HOSTS": "steward.example.org",
        "STEWARD_USE_CURRENT_PYTHON": "1",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "STEWARD_ENV": "production", "STEWARD_USE_CURRENT_PYTHON": "1"}
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_every_response_carries_a_request_id_and_csp(client):
    response = client.get("/accounts/login/", HTTP_X_REQUEST_ID="abc123")
    assert response["X-Request-ID"] == "abc123"
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_log_lines_are_json_with_tenant_and_request_context():
    configured = logging.getLogger().handlers[0]
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(configured.formatter)
    for log_filter in configured.filters:
        handler.addFilter(log_filter)
    logger = logging.getLogger("steward.test")
    logger.addHandler(handler)
    try:
        logger.warning("hello", extra={"enterprise": "cx-power"})
    finally:
        logger.removeHandler(handler)
    record = json.loads(stream.getvalue().splitlines()[-1])
    assert record["message"] == "hello" and record["enterprise"] == "cx-power"
    assert {"tenant", "request_id", "level", "time"} <= record.keys()
