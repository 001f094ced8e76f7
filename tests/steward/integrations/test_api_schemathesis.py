"""Property-based run of the whole API against its own OpenAPI schema (schemathesis): no server errors.

The schema is the one /api/schema/ serves (`steward.urls_schema`): the public API (/api/v1/calculate, /me/,
/enterprises/) and every workspace endpoint under /e/{slug}/, with {slug} pinned to cx-power. It runs
in-process through WSGI: workspace calls carry an API token holding every permission, public calls the
platform administrator's session (with its CSRF token), and the bureau register API (/api/v1/register/, bureau
users only: the administrator would get 403 to every case) the city bureau's session, with {registered_id}
pinned to register entries across the districts and one id that is no entry. MAX_EXAMPLES = 25 generated cases per operation,
22 operations: 550 cases (generated headers and cookies included), plus a stateful run following the schema's links (POST activity → GET activity
filtered by the source just written; submit → GET filings of that month; PATCH enterprise → GET enterprise),
STATEFUL_EXAMPLES = 15 sequences. About a minute on two cores.
"""

import time
from collections import Counter

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis.stateful import run_state_machine_as_test

from steward.integrations import tokens
from steward.register.models import RegisteredEnterprise
from tenants.models import Enterprise, User

pytestmark = pytest.mark.django_db
MAX_EXAMPLES = 25
STATEFUL_EXAMPLES = 15
SLUG = "cx-power"
BUREAU = "city.viewer"  # reads the whole city's register: real answers from /api/v1/register/
REGISTER_API = "/api/v1/register/"
HYPOTHESIS = {
    "deadline": None,
    "derandomize": True,
    "database": None,
    "suppress_health_check": list(HealthCheck),
}


@pytest.fixture
def keep_test_connection():
    """Like Django's test client: requests must not close the connection holding the test transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def whole_schema() -> dict:
    raw = SchemaGenerator(urlconf="steward.urls_schema").get_schema(request=None, public=True)
    # register entries the bureau reads (a few of each district's) and one id that is no entry at all
    entries = list(
        RegisteredEnterprise.objects.order_by("jurisdiction_id", "id").values_list("id", flat=True)
    )
    register_ids = sorted({*entries[:: max(1, len(entries) // 8)], max(entries, default=0) + 1})
    for operations in raw["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and parameter["name"] == "slug":
                    parameter["schema"] = {"type": "string", "enum": [SLUG]}
                if parameter["in"] == "path" and parameter["name"] == "registered_id":
                    parameter["schema"] = {"type": "integer", "enum": register_ids}
    return raw


def add_links(schema) -> None:
    activity = schema["/e/{slug}/api/v1/activity/"]
    schema.add_link(
        source=activity["POST"],
        target=activity["GET"],
        status_code="201",
        parameters={"query.source": "$response.body#/source", "query.year": "$response.body#/year"},
    )
    schema.add_link(
        source=schema["/e/{slug}/api/v1/filings/{year}/{month}/submit/"]["POST"],
        target=schema["/e/{slug}/api/v1/filings/"]["GET"],
        status_code="200",
        parameters={"query.year": "$response.body#/year", "query.month": "$response.body#/month"},
    )
    enterprise = schema["/e/{slug}/api/v1/enterprise/"]
    schema.add_link(
        source=enterprise["PATCH"],
        target=enterprise["GET"],
        status_code="200",
        parameters={"path.slug": "$request.path.slug"},
    )


@pytest.fixture
def credentials():
    enterprise = Enterprise.objects.get(slug=SLUG)
    token = tokens.create_token(
        enterprise=enterprise,
        name="schemathesis",
        permissions=["read_activity", "write_activity", "upload_evidence", "read_filings", "submit_filing"],
        by=User.objects.get(username="power.admin"),
    )
    csrf = _get_new_csrf_string()
    sessions = {}
    for name in ("platform", BUREAU):
        login = Client()  # one client each: a second login on one client would end the first session
        login.force_login(User.objects.get(username=name))
        sessions[name] = login.cookies["sessionid"].value

    def credentials_for(path: str) -> dict:
        """call_wsgi's keywords. Cookies go as cookies: werkzeug's client replaces a Cookie header with its
        cookie jar (schemathesis fills it with the generated cookies, empty or not)."""
        if path.startswith("/e/"):
            return {"headers": {"Authorization": f"Token {token.secret}"}}
        # the register API answers bureau users only (the platform administrator gets 403 there)
        name = BUREAU if path.startswith(REGISTER_API) else "platform"
        return {"headers": {"X-CSRFToken": csrf}, "cookies": {"sessionid": sessions[name], "csrftoken": csrf}}

    return credentials_for


@pytest.fixture
def graded_register(db):
    """The demo register (40 generated enterprises over the districts, the platform's own linked), a year of
    every feed and its grading run, inside the test's transaction: the register API has entries to answer."""
    from steward.register.demo import load_demo_register

    return load_demo_register(40)


def test_the_whole_api_has_no_server_errors(keep_test_connection, graded_register, credentials):
    schema = schemathesis.from_dict(whole_schema(), app=get_wsgi_application())
    cases, failures, register_answers, started = [], [], [], time.monotonic()
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=MAX_EXAMPLES, **HYPOTHESIS)
        def run(case):
            if case.path.startswith(REGISTER_API):
                # the schema's security schemes make schemathesis send its own Authorization header and
                # sessionid cookie, which replace the session: drop them so the bureau's answers are fuzzed
                (case.headers or {}).pop("Authorization", None)
                (case.cookies or {}).pop("sessionid", None)
            response = case.call_wsgi(**credentials(case.formatted_path))
            cases.append(f"{case.method} {case.path}")
            if case.path.startswith(REGISTER_API):
                register_answers.append((case.path, response.status_code))
            if response.status_code >= 500:
                failures.append(
                    (case.method, case.formatted_path, case.query, case.body, response.data[:300])
                )

        run()
    elapsed = time.monotonic() - started
    print(f"schemathesis: {len(cases)} cases over {len(set(cases))} operations in {elapsed:.1f} s")
    assert not failures
    paths = {operation.path for operation in operations}
    assert {"/api/v1/calculate", "/api/v1/me/", "/api/v1/enterprises/", "/e/{slug}/api/v1/activity/"} <= paths
    assert len(set(cases)) == len(operations) >= 15
    assert len(cases) >= 15 * MAX_EXAMPLES - 20  # a few operations have fewer distinct inputs
    # the register API was fuzzed as the bureau: entries and histories answered, refusals named, never a 403
    print(f"register API answers: {dict(Counter(status for _path, status in register_answers))}")
    answered = {path for path, status in register_answers if status == 200}
    assert answered == {REGISTER_API + "enterprises/", REGISTER_API + "enterprises/{registered_id}/grades/"}
    assert 403 not in {status for _path, status in register_answers}


def test_stateful_sequences_along_the_schema_links_have_no_server_errors(keep_test_connection, credentials):
    schema = schemathesis.from_dict(whole_schema(), app=get_wsgi_application())
    add_links(schema)
    failures = []

    class Machine(schema.as_state_machine()):
        def get_call_kwargs(self, case):
            return credentials(case.formatted_path)

        def validate_response(self, response, case, additional_checks=()):
            if response.status_code >= 500:
                failures.append((case.method, case.formatted_path, case.query, case.body))

    run_state_machine_as_test(
        Machine, settings=settings(max_examples=STATEFUL_EXAMPLES, stateful_step_count=4, **HYPOTHESIS)
    )
    assert not failures
