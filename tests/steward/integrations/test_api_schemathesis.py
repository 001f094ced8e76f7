"""Property-based run of the workspace API against its own OpenAPI schema (schemathesis): no server errors.

The workspace schema is generated from `steward.urls_workspace` (the one /api/schema/ serves for a
workspace) and exercised in-process through WSGI under /e/cx-power/ with an API token holding every
permission. Bounded: MAX_EXAMPLES cases per operation (a few hundred in all, well under a minute).
"""

import time

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings

from steward.integrations import tokens
from tenants.models import Enterprise, User

pytestmark = pytest.mark.django_db
MAX_EXAMPLES = 15


@pytest.fixture
def keep_test_connection():
    """Like Django's test client: requests must not close the connection holding the test transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_workspace_api_has_no_server_errors(keep_test_connection):
    enterprise = Enterprise.objects.get(slug="cx-power")
    token = tokens.create_token(
        enterprise=enterprise,
        name="schemathesis",
        permissions=["read_activity", "write_activity", "upload_evidence", "read_filings", "submit_filing"],
        by=User.objects.get(username="power.admin"),
    )
    raw = SchemaGenerator(urlconf="steward.urls_workspace").get_schema(request=None, public=True)
    schema = schemathesis.from_dict(raw, app=get_wsgi_application(), base_url="/e/cx-power")
    headers = {"Authorization": f"Token {token.secret}"}
    cases, failures, started = [], [], time.monotonic()
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            response = case.call_wsgi(headers=headers)
            cases.append(f"{case.method} {case.path}")
            if response.status_code >= 500:
                failures.append(
                    (case.method, case.formatted_path, case.path_parameters, case.query, case.body)
                )

        run()
    elapsed = time.monotonic() - started
    print(f"schemathesis: {len(cases)} cases over {len(set(cases))} operations in {elapsed:.1f} s")
    assert not failures
    assert len(cases) >= 100
    assert elapsed < 60
