"""Isolation matrix: every role × every endpoint × own / foreign workspace.

The expectations are written out by hand (who holds which role where, which roles each endpoint admits),
independently of tenants.access, so a broken permission check makes this fail.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from steward.evidence.models import EvidenceFile
from tenants.models import Engagement, Enterprise

ADMIN, FILER, SIGNATORY = "enterprise_admin", "enterprise_filer", "enterprise_signatory"
REVIEWER, MANAGER = "steward_reviewer", "steward_manager"
ENV_REVIEWER = "steward_reviewer (environmental scope only)"
VIEWER, INSPECTOR = "bureau_viewer", "bureau_inspector"
ENTERPRISE = {ADMIN, FILER, SIGNATORY}
STEWARD = {REVIEWER, MANAGER, ENV_REVIEWER}
BUREAU = {VIEWER, INSPECTOR}
EVERYONE = ENTERPRISE | STEWARD | BUREAU
# Stewards reach carbon pages only through an engagement that covers carbon.
STEWARD_CARBON = {REVIEWER, MANAGER}

# (user, workspace) → the role that user holds there today in the demo world. Missing pairs hold nothing.
ROLE_HELD = {
    ("power.admin", "cx-power"): ADMIN,
    ("power.filer", "cx-power"): FILER,
    ("power.signatory", "cx-power"): SIGNATORY,
    ("cement.filer", "wx-cement"): FILER,
    ("greencarbon.reviewer", "cx-power"): REVIEWER,  # live engagement, carbon + environmental
    ("greencarbon.manager", "wx-cement"): MANAGER,  # live engagement, carbon only
    ("qingyuan.reviewer", "dq-fibre"): ENV_REVIEWER,  # live engagement, environmental only
    ("city.viewer", "cx-power"): VIEWER,  # city bureau sees every district
    ("city.inspector", "nx-dyeing"): INSPECTOR,
    ("wuxing.viewer", "wx-cement"): VIEWER,  # Wuxing district bureau, Wuxing enterprise
    ("changxing.inspector", "cx-power"): INSPECTOR,
}
# Pairs that must hold nothing: another enterprise, an ended or revoked engagement, another district, the
# platform operator (manages tenants, never reads their data).
FOREIGN = [
    ("power.admin", "wx-cement"),
    ("power.filer", "nx-dyeing"),
    ("power.signatory", "wx-cement"),
    ("cement.filer", "cx-power"),
    ("greencarbon.reviewer", "nx-dyeing"),  # engagement ended last month
    ("greencarbon.reviewer", "dq-fibre"),  # another firm's client
    ("qingyuan.reviewer", "aj-wood"),  # engagement revoked
    ("wuxing.viewer", "cx-power"),  # Changxing enterprise, Wuxing bureau
    ("changxing.inspector", "wx-cement"),
    ("platform", "cx-power"),
    ("huzhou.bank", "wx-cement"),  # a bank the cement plant consents to: it reads on /bank/, never here
]

# endpoint name → (method, path under /e/<slug>/, roles admitted, success status)
ENDPOINTS = {
    "home": ("get", "", EVERYONE, 200),
    "profile": ("get", "profile/", EVERYONE, 200),
    "profile_edit": ("post", "profile/", {ADMIN}, 302),
    "engagements": ("get", "engagements/", {ADMIN} | STEWARD, 200),
    "members": ("get", "members/", {ADMIN}, 200),
    "evidence_list": ("get", "evidence/", ENTERPRISE | STEWARD, 200),
    "evidence_upload": ("post", "evidence/", {ADMIN, FILER}, 302),
    "evidence_download": ("get", "evidence/{evidence}/download/", ENTERPRISE | STEWARD, 200),
    "revoke_engagement": ("post", "engagements/{engagement}/revoke/", {ADMIN}, 302),
    "api_enterprise": ("get", "api/v1/enterprise/", EVERYONE, 200),
    "api_enterprise_patch": ("patch", "api/v1/enterprise/", {ADMIN}, 200),
    "api_engagements": ("get", "api/v1/engagements/", {ADMIN} | STEWARD, 200),
    "api_evidence": ("get", "api/v1/evidence/", ENTERPRISE | STEWARD, 200),
    "api_evidence_upload": ("post", "api/v1/evidence/", {ADMIN, FILER}, 201),
    "carbon_overview": ("get", "carbon/", ENTERPRISE | STEWARD_CARBON, 200),
    "carbon_month": ("get", "carbon/2026/3/", ENTERPRISE | STEWARD_CARBON, 200),
    "carbon_add_facility": ("post", "carbon/", {ADMIN, FILER}, 302),
    "carbon_enter_data": ("post", "carbon/2026/3/", {ADMIN, FILER}, 302),
    "carbon_compute": ("post", "carbon/2019/3/compute/", {ADMIN, FILER} | STEWARD_CARBON, 302),
    "carbon_run": ("get", "carbon/results/{run}/", ENTERPRISE | STEWARD_CARBON, 200),
    "filing_check": ("post", "filing/2019/3/check/", {ADMIN, FILER}, 302),
    "filing_open": ("post", "filing/2019/4/open/", {ADMIN, FILER}, 302),
    "intake": ("get", "intake/", {ADMIN, FILER}, 200),
    "intake_batches": ("get", "intake/batches/", ENTERPRISE | STEWARD_CARBON, 200),
    "api_tokens": ("get", "integrations/tokens/", {ADMIN}, 200),
    "webhooks": ("get", "integrations/webhooks/", {ADMIN}, 200),
    "api_activity": ("get", "api/v1/activity/", ENTERPRISE | STEWARD_CARBON, 200),
    "api_results": ("get", "api/v1/results/", ENTERPRISE | STEWARD_CARBON, 200),
    "api_filings": ("get", "api/v1/filings/", ENTERPRISE | STEWARD_CARBON | BUREAU, 200),
}

CASES = [(user, slug) for (user, slug) in ROLE_HELD] + FOREIGN


def _request(client, method: str, url: str, endpoint: str, enterprise: Enterprise):
    if endpoint == "profile_edit":
        data = {"name_zh": enterprise.name_zh, "name_en": "Edited", "address": "湖州", "industry": "4411"}
        return client.post(url, data)
    if endpoint in {"evidence_upload", "api_evidence_upload"}:
        upload = SimpleUploadedFile(f"{endpoint}.pdf", f"%PDF {endpoint} {url}".encode(), "application/pdf")
        return client.post(url, {"file": upload, "kind": "invoice", "description": "电费结算单"})
    if endpoint == "carbon_add_facility":
        return client.post(
            url,
            {
                "add_facility": "1",
                "facility-code": "B9",
                "facility-name": "9号锅炉",
                "facility-kind": "boiler",
            },
        )
    if endpoint == "carbon_enter_data":
        return client.post(
            url,
            {"save_output": "1", "output-kind": "running_hours", "output-value": "700", "output-unit": "h"},
        )
    if endpoint == "revoke_engagement":
        return client.post(url, {"reason": "合同到期提前终止"})
    if endpoint == "api_enterprise_patch":
        return client.patch(url, {"address": "湖州市长兴县"}, content_type="application/json")
    return getattr(client, method)(url)


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize(("username", "slug"), CASES)
def test_matrix(user_client, username, slug, endpoint):
    method, path, admitted, success = ENDPOINTS[endpoint]
    enterprise = Enterprise.objects.get(slug=slug)
    with_ids = path.format(
        evidence=_evidence_id(enterprise),
        engagement=Engagement.objects.filter(enterprise=enterprise).first().pk,
        run=_run_id(enterprise),
    )
    client = user_client(username)
    response = _request(client, method, f"/e/{slug}/{with_ids}", endpoint, enterprise)
    role = ROLE_HELD.get((username, slug))
    if endpoint == "evidence_download" and role == ENV_REVIEWER:
        # The fibre plant's only file is a carbon lab report: outside an environmental engagement (issue 21).
        assert response.status_code == 404, response.status_code
    elif role in admitted:
        assert response.status_code == success, response.content[:300]
    else:
        assert response.status_code == 403, f"{username} on {slug} {endpoint}: {response.status_code}"


def _run_id(enterprise: Enterprise) -> int:
    """A calculation run of this enterprise, or of the power plant for enterprises without one (→ 404 there,
    but only after the access check, which is what the matrix is about)."""
    from django_tenants.utils import schema_context

    from steward.carbon.models import CalculationRun

    with schema_context(enterprise.schema_name):
        run = CalculationRun.objects.values_list("pk", flat=True).first()
    return run or 1


def _evidence_id(enterprise: Enterprise) -> int:
    from django_tenants.utils import schema_context

    with schema_context(enterprise.schema_name):
        return EvidenceFile.objects.values_list("pk", flat=True).first()


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_anonymous_is_sent_to_login_or_refused(client, endpoint):
    method, path, _admitted, _success = ENDPOINTS[endpoint]
    enterprise = Enterprise.objects.get(slug="cx-power")
    url = "/e/cx-power/" + path.format(evidence=1, engagement=1, run=1)
    response = _request(client, method, url, endpoint, enterprise)
    if "/api/" in url:
        assert response.status_code == 401
    else:
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


PUBLIC_ENDPOINTS = {"onboard": "/onboard/", "api_enterprises": "/api/v1/enterprises/"}


@pytest.mark.django_db
@pytest.mark.parametrize("path", PUBLIC_ENDPOINTS.values())
@pytest.mark.parametrize(
    "username", ["power.admin", "greencarbon.manager", "city.inspector", "wuxing.viewer", "platform"]
)
def test_platform_pages_are_for_platform_admins_only(user_client, username, path):
    response = user_client(username).get(path)
    assert response.status_code == (200 if username == "platform" else 403)
