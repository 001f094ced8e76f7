"""Shared fixtures: one test database for the whole run, with the platform set up and the demo world loaded
once (tenant schemas replayed from the template, not migrated one by one). Each test runs in a transaction that
is rolled back, so the world is the same for every test.

The clock: `STEWARD_TEST_TODAY=2027-01-01 python3 manage.py test` runs the whole suite, demo world included, as
if it were that day (10:00 Beijing time, the clock ticking from there), so date-dependent behaviour can be
checked on the first and last day of a quarter and on 1 January. Without it the suite runs on the real date.
A test that needs a given moment uses the `clock` fixture."""

from __future__ import annotations

import datetime
import io
import os
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django_tenants.utils import schema_context

from steward import demo
from steward.demo.annual import load_demo_annual
from steward.demo.carbon import load_demo_carbon
from steward.evidence.services import store_evidence
from steward.platform import prepare_platform
from tenants.models import Enterprise, User


def _upload(name: str, data: bytes, content_type: str = "application/pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)


BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")


def pytest_configure(config):
    """Travel before test modules are imported: some compute "last month" at import time."""
    today = os.environ.get("STEWARD_TEST_TODAY")
    if today:
        moment = datetime.datetime.combine(datetime.date.fromisoformat(today), datetime.time(10), BEIJING)
        config._steward_clock = time_machine.travel(moment, tick=True)
        config._steward_clock.start()


def pytest_report_header(config):
    today = os.environ.get("STEWARD_TEST_TODAY")
    return f"steward clock: {today} 10:00 Beijing time (STEWARD_TEST_TODAY)" if today else None


@pytest.fixture
def clock():
    """`clock("2027-03-31T23:30")` travels to that Beijing time (the clock stands still) until the test ends."""
    travels = []

    def travel(moment: str):
        when = datetime.datetime.fromisoformat(moment)
        travels.append(time_machine.travel(when if when.tzinfo else when.replace(tzinfo=BEIJING), tick=False))
        travels[-1].start()

    yield travel
    for started in reversed(travels):
        started.stop()


@pytest.fixture(scope="session")
def evidence_root(tmp_path_factory):
    return tmp_path_factory.mktemp("evidence")


@pytest.fixture(scope="session", autouse=True)
def _evidence_root_setting(evidence_root):
    from django.conf import settings

    from steward.celery import app

    settings.EVIDENCE_ROOT = evidence_root
    # One fast hash per password instead of Django's 1,000,000 PBKDF2 rounds (~0.4 s each): the test world
    # hashes every demo person's password, and each browser sign-in and signature checks one. The demo and
    # production keep PBKDF2 (test_operations checks the production settings).
    from django.test import override_settings

    override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]).enable()
    # Tests run tasks in-process even when REDIS_URL is set; test_celery_worker.py uses a real worker.
    app.conf.task_always_eager = True
    if os.environ.get("STEWARD_TEST_TODAY"):
        # Chromium keeps the real clock: a session cookie dated by the travelled clock would already have
        # expired for it, so sessions end with the browser instead.
        settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, _evidence_root_setting):
    """After pytest-django created and migrated the test database: build the shared world once."""
    with django_db_blocker.unblock():
        # Never build the test world in a real database (pytest-django skips creating the test database when
        # no collected test is marked django_db).
        assert connection.settings_dict["NAME"].startswith("test_"), connection.settings_dict["NAME"]
        prepare_platform()
        demo.load_demo_world()
        load_demo_carbon()
        load_demo_annual()  # last year of the cement plant: twelve locked months and its annual report
        # One evidence file per workspace, so download and isolation tests have something to fetch.
        for enterprise in Enterprise.objects.all():
            with schema_context(enterprise.schema_name):
                store_evidence(
                    upload=_upload(f"{enterprise.slug}-化验报告.pdf", f"%PDF-1.4 {enterprise.slug}".encode()),
                    kind="lab_report",
                    description="2024年3月入炉煤元素碳检测",
                    uploaded_by=User.objects.get(username="platform"),
                )
        connection.set_schema_to_public()


@pytest.fixture(autouse=True)
def _back_to_public_schema():
    """A request leaves the connection in the tenant it served, and the language it answered in; each test
    starts from public, in Chinese."""
    yield
    connection.set_schema_to_public()
    from django.utils import translation

    translation.activate("zh-hans")


@pytest.fixture
def user_client(client):
    """`user_client("power.admin")` returns a test client logged in as that demo user."""

    def login(username: str):
        client.force_login(User.objects.get(username=username))
        return client

    return login


@pytest.fixture
def pdf_upload():
    def make(name: str = "报告.pdf", body: bytes = b"%PDF-1.4 test"):
        return io.BytesIO(body), name

    return make


def test_database_url() -> str:
    """A DATABASE_URL for the test database, so subprocesses (commands, workers) use the same data."""
    from urllib.parse import quote

    db = connection.settings_dict
    host = db["HOST"] or db["OPTIONS"].get("host", "")
    credentials = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    if host.startswith("/"):
        return f"postgresql://{credentials}@/{db['NAME']}?host={quote(host)}"
    return f"postgresql://{credentials}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


test_database_url.__test__ = False  # a helper, not a test
