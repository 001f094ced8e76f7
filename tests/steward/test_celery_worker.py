"""With REDIS_URL, tasks go through Redis to a real Celery worker process, still bound to their tenant.

Skipped without REDIS_URL (the demo and the default suite run tasks in-process); run it with
`REDIS_URL=redis://127.0.0.1:6379/15 python3 manage.py test -k worker`.
"""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection
from django_tenants.utils import schema_context

from steward.celery import app
from steward.evidence.models import EvidenceFile
from steward.evidence.tasks import verify_evidence_integrity
from tests.conftest import test_database_url

REDIS_URL = os.environ.get("REDIS_URL")
pytestmark = pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL not set: tasks run in-process")


@pytest.fixture
def worker(django_db_blocker):
    url = test_database_url()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "REDIS_URL": REDIS_URL,
        "STEWARD_USE_CURRENT_PYTHON": "1",
        "EVIDENCE_ROOT": str(settings.EVIDENCE_ROOT),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "steward", "worker", "--pool=solo", "--loglevel=WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
    )
    app.conf.task_always_eager = False
    try:
        yield process
    finally:
        app.conf.task_always_eager = True
        process.terminate()
        process.wait(timeout=30)


@pytest.mark.django_db(transaction=False)
def test_task_runs_on_a_worker_in_the_named_tenant(worker):
    with schema_context("ent_dq_fibre"):
        evidence_id = EvidenceFile.objects.get().pk
    started = time.monotonic()
    result = verify_evidence_integrity.apply_async(
        kwargs={"tenant_schema": "ent_dq_fibre", "evidence_id": evidence_id}
    )
    assert result.get(timeout=60) is True
    assert time.monotonic() - started < 60
    refused = verify_evidence_integrity.apply_async(
        kwargs={"tenant_schema": "public", "evidence_id": evidence_id}
    )
    with pytest.raises(Exception, match="needs an enterprise schema"):
        refused.get(timeout=60)
    assert connection.schema_name == "public"
