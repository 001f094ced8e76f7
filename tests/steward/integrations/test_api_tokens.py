"""API tokens: one enterprise, a set of permissions, hashed, revocable, rate-limited; the activity, results,
filings and evidence endpoints with a constant number of queries per request."""

import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from steward.carbon.models import ActivityRecord
from steward.demo.period import last_month
from steward.integrations import tokens
from steward.integrations.api_auth import TokenRateThrottle
from steward.integrations.models import ApiToken
from tenants.access import may_review_filing, token_access
from tenants.models import Enterprise, EnterpriseMembership, User

pytestmark = pytest.mark.django_db
API = "/e/cx-power/api/v1"


@pytest.fixture
def power():
    return Enterprise.objects.get(slug="cx-power")


@pytest.fixture
def make_token(power):
    def make(*permissions, enterprise=None):
        admin = User.objects.get(username="power.admin" if enterprise is None else "cement.admin")
        return tokens.create_token(
            enterprise=enterprise or power, name="ERP 接口", permissions=list(permissions), by=admin
        )

    return make


def call(client, method, path, secret, **kwargs):
    return getattr(client, method)(path, HTTP_AUTHORIZATION=f"Token {secret}", **kwargs)


def test_secret_is_stored_hashed_and_shown_once(make_token):
    created = make_token("read_activity")
    row = ApiToken.objects.get(pk=created.token.pk)
    assert created.secret.startswith(f"cst_{row.prefix}_")
    assert created.secret.split("_", 2)[2] not in row.secret_sha256
    assert len(row.secret_sha256) == 64


def test_only_the_enterprise_admin_manages_tokens(power):
    with pytest.raises(PermissionDenied):
        tokens.create_token(
            enterprise=power,
            name="x",
            permissions=["read_activity"],
            by=User.objects.get(username="power.filer"),
        )
    with pytest.raises(ValidationError):
        tokens.create_token(
            enterprise=power,
            name="x",
            permissions=["approve_filing"],
            by=User.objects.get(username="power.admin"),
        )


def test_read_with_a_token_and_last_used_time(client, make_token):
    created = make_token("read_activity")
    response = call(client, "get", f"{API}/activity/?month=1", created.secret)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] >= 3
    assert {row["source"] for row in body["results"]} >= {"U1-COAL", "GRID"}
    assert ApiToken.objects.get(pk=created.token.pk).last_used_at is not None


def test_a_token_is_refused_under_another_enterprise(client, make_token):
    created = make_token("read_activity")
    response = call(client, "get", "/e/wx-cement/api/v1/activity/", created.secret)
    assert response.status_code == 403
    assert response.json()["code"] == "token_wrong_workspace"


def test_unknown_and_revoked_tokens_get_401(client, make_token):
    created = make_token("read_activity")
    assert call(client, "get", f"{API}/activity/", created.secret + "x").status_code == 401
    tokens.revoke_token(token=created.token, by=User.objects.get(username="power.admin"))
    assert call(client, "get", f"{API}/activity/", created.secret).status_code == 401


def test_scope_limits_what_a_token_may_do(client, make_token):
    reader = make_token("read_activity")
    body = {
        "source": "GRID",
        "year": 2019,
        "month": 1,
        "quantity": "10",
        "unit": "MWh",
        "data_source": "settlement_voucher",
    }
    response = call(
        client, "post", f"{API}/activity/", reader.secret, data=body, content_type="application/json"
    )
    assert response.status_code == 403
    assert call(client, "get", f"{API}/filings/", reader.secret).status_code == 403
    assert call(client, "get", f"{API}/evidence/", reader.secret).status_code == 403
    assert call(client, "post", f"{API}/filings/2019/1/submit/", reader.secret).status_code == 403


def test_a_token_never_reviews_or_approves(power, make_token):
    created = make_token(
        "read_activity", "write_activity", "submit_filing", "read_filings", "upload_evidence"
    )
    grant = token_access(created.token, power)
    assert grant.allows("submit_filing") and grant.allows("enter_activity_data")
    for action in ("review_carbon", "manage_api_tokens", "edit_profile", "sign_report", "view_members"):
        assert not grant.allows(action)
    assert not may_review_filing(grant)


def test_token_dies_with_its_creators_admin_role(client, make_token):
    created = make_token("read_activity")
    EnterpriseMembership.objects.filter(user__username="power.admin", enterprise__slug="cx-power").update(
        revoked_at="2020-01-01T00:00:00Z"
    )
    assert call(client, "get", f"{API}/activity/", created.secret).status_code == 403


def test_write_creates_then_corrects_with_a_reason(client, power, make_token):
    created = make_token("write_activity", "read_activity")
    body = {
        "source": "GRID",
        "year": 2019,
        "month": 1,
        "quantity": "850.5",
        "unit": "MWh",
        "data_source": "settlement_voucher",
    }
    first = call(
        client, "post", f"{API}/activity/", created.secret, data=body, content_type="application/json"
    )
    assert first.status_code == 201, first.content
    assert first.json()["version"] == 1 and first.json()["quantity"] == "850.50000000"
    assert first.json()["entered_by"] == created.token.user.username
    again = call(
        client,
        "post",
        f"{API}/activity/",
        created.secret,
        data=body | {"quantity": "900"},
        content_type="application/json",
    )
    assert again.status_code == 400
    assert again.json()["reason"][0]["code"] == "reason_required"
    fixed = call(
        client,
        "post",
        f"{API}/activity/",
        created.secret,
        data=body | {"quantity": "900", "reason": "结算单更正"},
        content_type="application/json",
    )
    assert fixed.status_code == 201 and fixed.json()["version"] == 2
    with schema_context(power.schema_name):
        assert ActivityRecord.objects.get(pk=fixed.json()["id"]).quantity == Decimal("900")
    negative = call(
        client,
        "post",
        f"{API}/activity/",
        created.secret,
        data=body | {"quantity": "-1", "month": 2},
        content_type="application/json",
    )
    assert negative.status_code == 400 and "quantity" in negative.json()


def test_evidence_upload_with_a_token(client, make_token):
    created = make_token("upload_evidence")
    upload = {"file": ("煤质化验.pdf", b"%PDF-1.4 token"), "kind": "lab_report"}
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = {
        "file": SimpleUploadedFile("煤质化验.pdf", b"%PDF-1.4 token", content_type="application/pdf"),
        "kind": "lab_report",
    }
    response = call(client, "post", f"{API}/evidence/", created.secret, data=upload)
    assert response.status_code == 201, response.content
    assert response.json()["uploaded_by"] == created.token.user.username


def test_submit_a_filing_with_a_token(client, power, make_token):
    created = make_token("write_activity", "submit_filing", "read_filings")
    body = {
        "source": "GRID",
        "year": 2019,
        "month": 3,
        "quantity": "10",
        "unit": "MWh",
        "data_source": "settlement_voucher",
    }
    call(client, "post", f"{API}/activity/", created.secret, data=body, content_type="application/json")
    response = call(client, "post", f"{API}/filings/2019/3/submit/", created.secret)
    # The rule pack decides: either the month goes to review, or the refusal lists the blocking findings.
    assert response.status_code in {200, 400}, response.content
    if response.status_code == 200:
        assert response.json()["status"] == "in_review"
    else:
        assert response.json()["non_field_errors"][0]["code"] == "open_findings"
        assert response.json()["findings"], "the refusal lists the open findings"
    listed = call(client, "get", f"{API}/filings/?year=2019", created.secret).json()
    assert all(row["year"] == 2019 for row in listed["results"])


def test_rate_limit_per_token(client, make_token, monkeypatch):
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"api_token": "2/min"})
    from django.core.cache import cache

    cache.clear()
    created = make_token("read_activity")
    codes = [call(client, "get", f"{API}/results/", created.secret).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    cache.clear()


@pytest.mark.parametrize(
    "path", ["activity/?year={year}&month=1", "results/?month=1", "filings/?year={year}&month=1"]
)
def test_constant_queries_per_request(client, make_token, path):

    year = last_month()[0]
    created = make_token("read_activity", "read_filings")
    few = path.format(year=year)
    many = few.replace("&month=1", "").replace("?month=1", "")
    call(client, "get", f"{API}/{few}", created.secret)  # warm up (last_used_at write)
    with CaptureQueriesContext(connection) as one:
        small = call(client, "get", f"{API}/{few}", created.secret)
    with CaptureQueriesContext(connection) as all_rows:
        large = call(client, "get", f"{API}/{many}", created.secret)
    assert small.status_code == large.status_code == 200
    if "activity" in path:
        assert large.json()["count"] > small.json()["count"] >= 3
    assert len(all_rows) == len(one), json.dumps(
        [q["sql"][:120] for q in all_rows.captured_queries], ensure_ascii=False
    )


def test_a_token_request_finds_token_enterprise_and_creator_in_one_query(client, make_token):
    """The token's query also brings its enterprise and whether its creator is still the administrator: a
    machine client's request pays one lookup for who it is, not four (the API load bench's overhead)."""
    created = make_token("read_activity")
    call(client, "get", f"{API}/activity/?limit=5", created.secret)  # warm up (last_used_at write)
    with CaptureQueriesContext(connection) as captured:
        response = call(client, "get", f"{API}/activity/?limit=5", created.secret)
    assert response.status_code == 200
    who = [
        q["sql"]
        for q in captured.captured_queries
        if any(
            f'FROM "{t}"' in q["sql"]
            for t in ("integrations_apitoken", "tenants_enterprise", "tenants_enterprisemembership")
        )
    ]
    assert len(who) == 1, who
    assert 'FROM "integrations_apitoken"' in who[0] and "tenants_enterprisemembership" in who[0]


def test_the_compiled_token_lookup_reads_what_the_orm_reads(make_token, power):
    """The per-request lookup runs SQL compiled once per process; each object it builds holds, field for
    field, what the ORM loads, and the creator's live admin role is read on each request, not when compiled."""
    from tenants.access import token_creator_is_admin

    created = make_token("read_activity", "write_activity")
    found = tokens.token_from_header(f"Token {created.secret}")
    expected = (
        ApiToken.objects.select_related("user", "enterprise__jurisdiction", "enterprise__industry")
        .annotate(creator_is_admin=token_creator_is_admin())
        .get(pk=created.token.pk)
    )
    for got, want in (
        (found, expected),
        (found.user, expected.user),
        (found.enterprise, expected.enterprise),
        (found.enterprise.jurisdiction, expected.enterprise.jurisdiction),
        (found.enterprise.industry, expected.enterprise.industry),
    ):
        for field in type(want)._meta.concrete_fields:
            if field.name != "last_used_at":
                assert getattr(got, field.attname) == getattr(want, field.attname), field.name
    assert found.permissions == ["read_activity", "write_activity"] and found.creator_is_admin is True
    # the admin role is revoked: the same compiled query finds the creator no longer an admin
    EnterpriseMembership.objects.filter(
        user__username="power.admin", enterprise=power, role="enterprise_admin"
    ).update(revoked_at=timezone.now())
    assert tokens.token_from_header(f"Token {created.secret}").creator_is_admin is False
    assert tokens.token_from_header(f"Token {created.secret[:-1]}x") is None


def test_huge_limit_and_offset_are_bounded(client, make_token):
    created = make_token("read_activity")
    huge = 10**40
    response = call(client, "get", f"{API}/activity/?limit={huge}&offset={huge}", created.secret)
    assert response.status_code == 200
    assert response.json()["results"] == []
    capped = call(client, "get", f"{API}/activity/?limit={huge}", created.secret).json()
    assert len(capped["results"]) == min(capped["count"], 500)
