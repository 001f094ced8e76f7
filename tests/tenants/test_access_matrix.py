"""The access matrix, generated from the URL configuration (issue 21).

Every named route of the public and the workspace URLconf × every kind of grant (enterprise admin, filer and
signatory; a steward per scope, and with an ended or a revoked engagement; city and district bureau viewers and
inspectors; the platform admin; anonymous; an API token) × own / foreign / out-of-scope enterprise. Each answer
is checked for its status and for canary strings seeded per enterprise and per scope: no body (HTML, JSON, XLSX
cells, PDF text) may hold a canary of an enterprise the grant has nothing in, or of a scope it does not hold.

The expectations below are written by hand, independently of `tenants.access`, so a broken check fails here.
A route missing from ROUTES fails `test_every_route_is_classified`: a new route joins the matrix by itself.

The same sweep feeds "reading writes nothing": for every GET, the rows inserted, updated and deleted in every
table of every schema are read from PostgreSQL's `pg_stat_xact_user_tables`. Those counters are exact for the
current transaction (the sweep runs in one, rolled back at the end), cover the public and all tenant schemas in
one cheap query, and, unlike comparing count(*) per table, also see an UPDATE, or an insert matched by a delete.
"""

from __future__ import annotations

import dataclasses
import datetime
import io
import logging
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django_tenants.utils import schema_context

TODAY = timezone.localdate()
LAST = TODAY.replace(day=1) - datetime.timedelta(days=1)
MISSING = 999_999  # an id no table holds: the route answers after its access check

# Kinds of grant inside one workspace.
ADMIN, FILER, SIGNATORY = "admin", "filer", "signatory"
ST_BOTH, ST_CARBON, ST_ENV = "steward_both", "steward_carbon", "steward_env"
B_VIEWER, B_INSPECTOR = "bureau_viewer", "bureau_inspector"
NONE, ANON, TOKEN, TOKEN_FOREIGN = "none", "anonymous", "token", "token_foreign"
# A bank officer holds no workspace role, consent or not: it reads consented items on its portal only (/bank/).
BANK = "bank"
ENT = frozenset({ADMIN, FILER, SIGNATORY})
ST_C, ST_E = frozenset({ST_BOTH, ST_CARBON}), frozenset({ST_BOTH, ST_ENV})
STEWARD = ST_C | ST_E
BUREAU = frozenset({B_VIEWER, B_INSPECTOR})
PEOPLE = ENT | STEWARD | BUREAU

# (persona, workspace, kind of grant held there today in the demo world)
WORKSPACE_CASES = [
    ("power.admin", "cx-power", ADMIN),
    ("power.filer", "cx-power", FILER),
    ("power.signatory", "cx-power", SIGNATORY),
    ("greencarbon.reviewer", "cx-power", ST_BOTH),  # carbon + environmental
    ("greencarbon.manager", "wx-cement", ST_CARBON),  # carbon only
    ("qingyuan.reviewer", "nth-paper", ST_CARBON),  # carbon only, a plant with a permit: out of scope env
    ("qingyuan.reviewer", "dq-fibre", ST_ENV),  # environmental only: out of scope carbon
    ("city.viewer", "cx-power", B_VIEWER),  # city bureau, a district's enterprise
    ("city.inspector", "nx-dyeing", B_INSPECTOR),
    ("wuxing.viewer", "wx-cement", B_VIEWER),  # district bureau, its own district
    ("changxing.inspector", "cx-power", B_INSPECTOR),
    ("power.admin", "wx-cement", NONE),  # another enterprise
    ("greencarbon.reviewer", "nx-dyeing", NONE),  # engagement ended last month
    ("qingyuan.reviewer", "aj-wood", NONE),  # engagement revoked
    ("wuxing.viewer", "cx-power", NONE),  # another district
    ("platform", "cx-power", NONE),  # manages tenants, reads no enterprise data
    ("anonymous", "cx-power", ANON),
    ("token", "cx-power", TOKEN),  # a token of cx-power with every permission
    ("token", "wx-cement", TOKEN_FOREIGN),  # the same token at another enterprise
    ("huzhou.bank", "wx-cement", BANK),  # consents to the bank for every item: still no workspace access
    ("huzhou.bank", "nx-dyeing", BANK),  # its consent was revoked
    ("huzhou.bank", "aj-wood", BANK),  # never consented
]
# Public routes: one case per persona, with the kind of person they are.
PUBLIC_PERSONAS = {
    "power.admin": "enterprise",
    "power.filer": "enterprise",
    "power.signatory": "enterprise",
    "greencarbon.reviewer": "steward",
    "greencarbon.manager": "steward",
    "qingyuan.reviewer": "steward",
    "city.viewer": "bureau",
    "city.inspector": "bureau",
    "wuxing.viewer": "bureau",
    "changxing.inspector": "bureau",
    "platform": "platform",
    "huzhou.bank": "bank",
    "anonymous": "anonymous",
}
# Who holds what where (for canaries): persona → {slug: kind of grant}. Everything else is foreign.
HOLDS: dict[str, dict[str, str]] = {}
for _persona, _slug, _kind in WORKSPACE_CASES:
    if _kind not in {NONE, ANON, TOKEN_FOREIGN, BANK}:
        HOLDS.setdefault(_persona, {})[_slug] = _kind
HOLDS["city.viewer"] = dict.fromkeys(
    ["cx-power", "wx-cement", "nx-dyeing", "dq-fibre", "aj-wood", "nth-paper"], B_VIEWER
)
HOLDS["city.inspector"] = dict.fromkeys(HOLDS["city.viewer"], B_INSPECTOR)
HOLDS["greencarbon.manager"]["cx-power"] = ST_BOTH
HOLDS["greencarbon.reviewer"]["wx-cement"] = ST_CARBON
HOLDS["qingyuan.reviewer"]["nth-paper"] = ST_CARBON
SLUGS = ["cx-power", "wx-cement", "nx-dyeing", "dq-fibre", "aj-wood", "nth-paper"]


@dataclasses.dataclass(frozen=True)
class Route:
    """What a route answers to each kind of grant. `ok` maps kinds of grant to the statuses they may get;
    anyone else holding a role gets `refused`; no role: 403; anonymous: the login page or 401."""

    ok: dict[frozenset, frozenset[int]] = dataclasses.field(default_factory=dict)
    refused: frozenset[int] = frozenset({403})
    post_only: bool = False
    api: bool = False
    token: frozenset[int] | None = None  # statuses for the cx-power token (API routes)
    kwargs: dict = dataclasses.field(default_factory=dict)  # per-route values over the kwarg table
    query: str = ""
    variants: tuple = ()  # (label, kwargs, ok) more answers of the same route

    def expected(self, kind: str, ok: dict | None = None) -> frozenset[int]:
        ok = self.ok if ok is None else ok
        if kind == ANON or (kind == TOKEN and not self.api):
            return frozenset({401}) if self.api else frozenset({302})
        if kind == TOKEN_FOREIGN:
            return frozenset({403}) if self.api else frozenset({302})
        if kind == TOKEN:
            return self.token or frozenset({403})
        if kind in {NONE, BANK}:
            return frozenset({403})
        if self.post_only:
            return frozenset({405})
        for kinds, statuses in ok.items():
            if kind in kinds:
                return statuses
        return self.refused


S200, S302, S404 = frozenset({200}), frozenset({302}), frozenset({404})
S200_404 = frozenset({200, 404})  # the page passes its access check, then finds nothing for this enterprise
POST = Route(post_only=True)
# DRF checks the method's action before the method: a GET of a POST-only API view is refused (403).
API_POST = Route(ok={PEOPLE: frozenset({403})}, api=True)


def page(*kinds: frozenset, ok=S200, **extra) -> Route:
    return Route(ok={frozenset().union(*kinds): ok}, **extra)


WORKSPACE_ROUTES: dict[str, Route] = {
    "workspace:home": page(PEOPLE),
    "workspace:profile": page(PEOPLE),
    "workspace:engagements": page({ADMIN}, STEWARD),
    "workspace:revoke_engagement": POST,
    "workspace:members": page({ADMIN}),
    "workspace:access_log": page({ADMIN}),
    "workspace:bank_consents": page({ADMIN}),
    "workspace:grant_bank_consent": POST,
    "workspace:revoke_bank_consent": POST,
    "workspace:evidence": page(ENT, STEWARD),
    # The file of both scopes, then one of each scope: out of scope answers as absent (404).
    "workspace:evidence_download": Route(
        ok={ENT | STEWARD: S200},
        kwargs={"evidence_id": "evidence:both"},
        variants=(
            (
                "carbon file",
                {"evidence_id": "evidence:carbon"},
                {ENT | ST_C: S200, frozenset({ST_ENV}): S404},
            ),
            (
                "environmental file",
                {"evidence_id": "evidence:environmental"},
                {ENT | ST_E: S200, frozenset({ST_CARBON}): S404},
            ),
        ),
    ),
    "workspace:carbon": page(ENT, ST_C),
    "workspace:carbon_year": page(ENT, ST_C),
    "workspace:carbon_month": page(ENT, ST_C),
    "workspace:carbon_compute": POST,
    "workspace:carbon_run": page(ENT, ST_C, ok=S200_404),
    "workspace:control_plan": page(ENT, ST_C),
    # Oversight reads a month once submitted: 404 for a month with no submitted version.
    "workspace:filing": Route(ok={ENT | ST_C: S200, BUREAU: S200_404}),
    "workspace:filing_action": POST,
    "workspace:submit_month": POST,
    "workspace:request_waiver": POST,
    # The 存证 hand-off of a locked month (last January: locked at the cement plant; no filing elsewhere, 409).
    "workspace:platform_items_xlsx": page(
        ENT, ST_C, ok=frozenset({200, 409}), kwargs={"year": LAST.year - 1, "month": 1}
    ),
    "workspace:platform_items_json": page(
        ENT, ST_C, ok=frozenset({200, 409}), kwargs={"year": LAST.year - 1, "month": 1}
    ),
    "workspace:platform_evidence_zip": page(
        ENT, ST_C, ok=frozenset({200, 409}), kwargs={"year": LAST.year - 1, "month": 1}
    ),
    "workspace:platform_submission_record": POST,
    "workspace:finding_action": POST,
    "workspace:compliance": page(ENT, ST_C, BUREAU),
    "workspace:compliance_year": page(ENT, ST_C, BUREAU),
    "workspace:efficiency": page(ENT, ST_C, BUREAU),
    "workspace:efficiency_year": page(ENT, ST_C, BUREAU),
    "workspace:compliance_pdf": POST,
    # 企业碳预算: the enterprise's own budget (none in the test world: the page says so); requests are POSTs.
    "workspace:budget": page(ENT, ST_C, BUREAU),
    "workspace:budget_request": POST,
    # Each document kind has its own visibility rule (steward.documents.copy_of_record): 403 when it refuses.
    "workspace:document_download": page(PEOPLE, ok=frozenset({200, 403, 404})),
    "workspace:annual_index": page(ENT, ST_C, BUREAU, ok=S302),
    "workspace:annual": Route(ok={ENT | ST_C: S200, BUREAU: S200_404}, kwargs={"year": LAST.year - 1}),
    "workspace:annual_action": POST,
    "workspace:annual_xlsx": page(ENT, ST_C, BUREAU, ok=S200_404, kwargs={"year": LAST.year - 1}),
    "workspace:filing_record": page(
        ENT, ST_C, BUREAU, ok=frozenset({302, 404}), kwargs={"year": LAST.year - 1, "month": 1}
    ),
    "workspace:intake": page({ADMIN, FILER}),
    "workspace:intake_template": page({ADMIN, FILER}, kwargs={"?": f"year={LAST.year}&month={LAST.month}"}),
    "workspace:intake_upload": POST,
    "workspace:intake_confirm": POST,
    "workspace:intake_batches": page(ENT, ST_C),
    "workspace:intake_batch": page(ENT, ST_C, ok=S200_404),
    "workspace:api_tokens": page({ADMIN}),
    "workspace:revoke_api_token": POST,
    "workspace:webhooks": page({ADMIN}),
    "workspace:disable_webhook": POST,
    # Environmental pages: 404 where the enterprise has no permit yet.
    "workspace:pollution": page(ENT, ST_E, BUREAU, ok=S200_404),
    "workspace:pollution_register": page({ADMIN, FILER}, ST_E, ok=frozenset({200, 302})),
    "workspace:pollution_outlets": page(ENT, ST_E, BUREAU, ok=S200_404),
    "workspace:pollution_version": page(ENT, ST_E, BUREAU, ok=S200_404),
    "workspace:pollution_import": page(ENT, ST_E, BUREAU, ok=S200_404),
    "workspace:pollution_import_confirm": POST,
    # January: the coefficient method only (the demo's CEMS data is last month's, which costs seconds to account).
    "workspace:pollution_month": page(ENT, ST_E, BUREAU, ok=S200_404, kwargs={"month": 1}),
    "workspace:pollution_reports": page(ENT, ST_E, BUREAU, ok=S200_404),
    "workspace:pollution_reports_year": page(ENT, ST_E, BUREAU, ok=S200_404),
    "workspace:pollution_report": page(ENT, ST_E, BUREAU, ok=S200_404),
    "workspace:pollution_report_action": POST,
    # This year: both halves, submitted months only for the bureau; the XLSX answers the same grants.
    "workspace:fused_inventory": page(PEOPLE, variants=(("xlsx", {"?": "format=xlsx"}, None),)),
    "workspace:fused_inventory_year": page(PEOPLE, kwargs={"year": LAST.year - 1}),
    "set_language": page(PEOPLE, ok=frozenset({302, 204})),
    "api-enterprise": page(PEOPLE, api=True),  # a token holds no view_profile
    "api-engagements": page({ADMIN}, STEWARD, api=True),
    "api-evidence": page(ENT, STEWARD, api=True, token=S200),
    "api-compliance": page(ENT, ST_C, BUREAU, api=True),
    "api-activity": page(ENT, ST_C, api=True, token=S200),
    "api-results": page(ENT, ST_C, api=True, token=S200),
    "api-filings": page(ENT, ST_C, BUREAU, api=True, token=S200),
    "api-filing-submit": API_POST,
    # The hand-off of last January (locked at the cement plant; 409 where the month has no locked filing).
    "api-platform-items": page(
        ENT,
        ST_C,
        ok=frozenset({200, 409}),
        api=True,
        token=frozenset({409}),
        kwargs={"year": LAST.year - 1, "month": 1},
    ),
    "api-platform-submissions": page(
        ENT, ST_C, api=True, token=S200, kwargs={"year": LAST.year - 1, "month": 1}
    ),
}

ANYONE = frozenset(PUBLIC_PERSONAS.values())
SIGNED_IN = ANYONE - {"anonymous"}


@dataclasses.dataclass(frozen=True)
class PublicRoute:
    ok: dict[frozenset, frozenset[int]]  # kind of person → statuses; anyone else signed in: 403
    anonymous: frozenset[int] = S302
    query: str = ""

    def expected(self, kind: str) -> frozenset[int]:
        if kind == "anonymous":
            return self.anonymous
        for kinds, statuses in self.ok.items():
            if kind in kinds:
                return statuses
        return frozenset({403})


def public(*kinds: str, ok=S200, **extra) -> PublicRoute:
    return PublicRoute(ok={frozenset(kinds): ok}, **extra)


PUBLIC_ROUTES: dict[str, PublicRoute] = {
    "index": public(*SIGNED_IN, ok=S302),
    "home": public(*SIGNED_IN),
    "onboard": public("platform"),
    "engagements": public(*SIGNED_IN),
    "people": public("platform"),
    "factors": public(*SIGNED_IN),
    "inbox": public(*SIGNED_IN),
    "notification_settings": public(*SIGNED_IN),
    "overdue": public(*SIGNED_IN),
    "portfolio": public("steward"),
    "steward_queue": public("steward"),
    "steward_queue_approve": public(*SIGNED_IN, ok=frozenset({405})),
    "bureau_dashboard": public("bureau"),
    "bureau_wall": public("bureau"),
    "bureau_export": public("bureau"),
    "bureau_summary": public("bureau"),
    "spot_checks": public("bureau"),
    "city_register": public("bureau"),
    # cx-power's register entry (长兴县): the city and 长兴 bureaus read it; 吴兴's bureau gets 404 (outside its
    # jurisdiction, tests/frontend/register/test_register_grades_page.py checks which bureau gets which).
    "register_entry": public("bureau", ok=frozenset({200, 404})),
    "register_import": public("platform"),
    # 企业碳预算 of the bureau's districts: a budget id nobody holds answers 404 after the bureau check.
    "budget_list": public("bureau"),
    "budget_set": public(*SIGNED_IN, ok=frozenset({405})),
    "budget_detail": public("bureau", ok=S200_404),
    "budget_decide": public(*SIGNED_IN, ok=frozenset({405})),
    # The bank portal (the power plant, cx-power, consents to grade and seal status: no verification files).
    "bank_portal": public("bank"),
    "bank_enterprise": public("bank"),
    "bank_month_seal": public("bank", ok=S404),
    "bank_annual_report": public("bank", ok=S404),
    "api-bank-enterprises": public("bank", anonymous=frozenset({401, 403})),
    "api-bank-enterprise": public("bank", anonymous=frozenset({401, 403})),
    # The bureau's register API: its districts' entries; cx-power's grade history as register_entry above.
    "api-register-enterprises": public("bureau", anonymous=frozenset({401, 403})),
    "api-register-grades": public("bureau", ok=frozenset({200, 404}), anonymous=frozenset({401, 403})),
    "record_spot_check": public(*SIGNED_IN, ok=frozenset({405})),
    "login": public(*SIGNED_IN, ok=S302, anonymous=S200),
    "logout": public(*SIGNED_IN, ok=frozenset({405}), anonymous=frozenset({405})),
    "healthz": public(*SIGNED_IN, anonymous=S200),
    # /metrics: whether the app refuses it is issue 21's "Metrics answer anyone" (helper H4); either answer
    # is classified here, and no canary may appear in it whoever asks.
    "prometheus-django-metrics": public(
        *SIGNED_IN, ok=frozenset({200, 403, 404}), anonymous=frozenset({200, 403, 404})
    ),
    "set_language": public(*SIGNED_IN, ok=frozenset({302, 204}), anonymous=frozenset({302, 204})),
    "api-me": public(*SIGNED_IN, anonymous=frozenset({401, 403})),
    "api-enterprises": public("platform", anonymous=frozenset({401, 403})),
    "api-calculate": public(*SIGNED_IN, ok=frozenset({405}), anonymous=frozenset({401, 403})),
    # The published API description is public (docs/api.md).
    "api-schema": public(*SIGNED_IN, anonymous=S200),
    "api-docs": public(*SIGNED_IN, anonymous=S200),
}

# Tables a GET may write to, and why. Everything else must be untouched by reading.
ALLOWED_WRITES = {
    # The append-only log of every steward and bureau request into a workspace (steward/oversight): the
    # enterprise admin reads it on the access-log page. Writing it on a read is its purpose.
    ("public", "oversight_accesslogentry"): "audit log of outside reads, written on purpose",
    # The signed-in person's own session (messages, language): no enterprise record.
    ("public", "django_session"): "the reader's own session state",
    # A token's last use, refreshed at most once a minute (steward/integrations/tokens.py): bookkeeping on the
    # token row, no regulated record.
    ("public", "integrations_apitoken"): "token last-used time",
    # Beside each bank read's access-log entry: which bank, under which consent, which items (steward/banking).
    ("public", "banking_bankread"): "audit log of bank reads, written on purpose",
}
# Known writes by a GET that another helper removes (issue 21 "Reading writes": documents of record are
# issued by the act that makes them, not by a GET). The lead drops these marks after merging that work.
# GET routes known to write, each with its reason; empty since the filing record is issued by the lock.
KNOWN_WRITING_GETS: dict[str, str] = {}


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{entry.namespace}:" if entry.namespace else ""
            yield from _walk(entry.url_patterns, prefix + namespace)
        elif isinstance(entry, URLPattern):
            yield (prefix + entry.name) if entry.name else None, entry


def route_names(urlconf: str) -> set:
    return {name for name, _pattern in _walk(get_resolver(urlconf).url_patterns)}


def _kwarg_names(urlconf: str) -> dict[str, list[str]]:
    names = {}
    for name, pattern in _walk(get_resolver(urlconf).url_patterns):
        names[name] = list(getattr(pattern.pattern, "converters", {}))
    return names


# --------------------------------------------------------------------------------------------- the sweep


@dataclasses.dataclass
class Answer:
    route: str
    label: str
    persona: str
    slug: str
    kind: str
    url: str
    status: int
    expected: frozenset[int]
    leaked: list[str]
    writes: dict[tuple[str, str], int]
    seconds: float


CANARY_SCOPES = ("carbon", "environmental", "both")


def canary(slug: str, scope: str) -> str:
    return f"CANARY-{scope}-{slug}"


def _seed(platform_user) -> dict:
    """Canary evidence files per enterprise and scope, the pollution demo of two plants, a token."""
    from steward.demo.pollution import build_paper_mill, build_power_plant
    from steward.evidence.services import store_evidence
    from steward.integrations.tokens import create_token
    from steward.register.demo import load_register
    from tenants.models import Enterprise, User

    load_register(0)  # the platform's enterprises in the city register, linked to their workspaces
    ids: dict[str, dict] = {}
    for slug in SLUGS:
        enterprise = Enterprise.objects.get(slug=slug)
        with schema_context(enterprise.schema_name):
            if slug == "cx-power":
                build_power_plant(
                    LAST.year, LAST.month, User.objects.get(username="power.filer"), cems_months=[LAST.month]
                )
            if slug == "nth-paper":
                build_paper_mill(
                    LAST.year, LAST.month, User.objects.get(username="paper.filer"), cems_months=[LAST.month]
                )
            ids[slug] = {}
            for scope in CANARY_SCOPES:
                text = canary(slug, scope)
                evidence = store_evidence(
                    upload=SimpleUploadedFile(f"{text}.pdf", f"%PDF-1.4 {text}".encode(), "application/pdf"),
                    kind="other",
                    description=text,
                    uploaded_by=platform_user,
                    scope=scope,
                )
                ids[slug][f"evidence:{scope}"] = evidence.pk
            ids[slug].update(_object_ids(enterprise))
        connection.set_schema_to_public()
    admin = User.objects.get(username="power.admin")
    token = create_token(
        enterprise=Enterprise.objects.get(slug="cx-power"),
        name="matrix",
        permissions=["read_activity", "write_activity", "upload_evidence", "read_filings", "submit_filing"],
        by=admin,
    )
    return {"ids": ids, "token": token.secret}


def _object_ids(enterprise) -> dict:
    from steward.carbon.models import CalculationRun
    from steward.documents.models import IssuedDocument
    from steward.filing.models import FilingFinding
    from steward.intake.models import ImportBatch
    from steward.integrations.models import ApiToken, WebhookEndpoint
    from steward.pollution.services import current_permit

    def first(model, **filters):
        return model.objects.filter(**filters).values_list("pk", flat=True).first() or MISSING

    permit = current_permit()
    return {
        "engagement_id": enterprise.engagements.values_list("pk", flat=True).first() or MISSING,
        "run_id": first(CalculationRun),
        "finding_id": first(FilingFinding),
        "document_id": first(IssuedDocument),
        "batch_id": first(ImportBatch),
        "token_id": first(ApiToken, enterprise=enterprise),
        "endpoint_id": first(WebhookEndpoint, enterprise=enterprise),
        "version": permit.version if permit else 1,
        "enterprise_id": enterprise.pk,
        "registered_id": enterprise.register_entry.pk,
    }


KWARG_TABLE = {
    "year": LAST.year,
    "month": LAST.month,
    "period": LAST.month,
    "frequency": "monthly",
    "action": "approve",
    "kind": "statement",
    "budget_id": MISSING,
    "consent_id": MISSING,
}


def _fill(names: list[str], slug: str, ids: dict, overrides: dict) -> dict:
    values = {}
    for name in names:
        value = overrides.get(name, KWARG_TABLE.get(name))
        if isinstance(value, str) and value.startswith("evidence:"):
            value = ids[slug][value]
        if value is None:
            value = ids[slug].get(name)
        assert value is not None, f"no value for URL kwarg {name!r}: add it to KWARG_TABLE"
        values[name] = value
    return values


def _body_text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = content.decode("utf-8", errors="ignore")
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(content), read_only=True)
        text += " ".join(
            str(cell)
            for sheet in workbook
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell
        )
    elif "pdf" in kind and content.startswith(b"%PDF") and len(content) > 200:
        from pypdf import PdfReader

        text += " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
    return text


def forbidden_canaries(persona: str) -> list[str]:
    """Canaries `persona` must never read: every scope of an enterprise where they hold nothing, the scope
    their engagement does not cover, and evidence of any scope for the bureau (it reads no evidence files)."""
    held = HOLDS.get(persona, {})
    forbidden = []
    for slug in SLUGS:
        kind = held.get(slug)
        if kind is None or kind in BUREAU:
            forbidden += [canary(slug, scope) for scope in CANARY_SCOPES]
        elif kind == ST_CARBON:
            forbidden.append(canary(slug, "environmental"))
        elif kind == ST_ENV:
            forbidden.append(canary(slug, "carbon"))
    return forbidden


# pg_stat_xact_user_tables, reduced to the three counters read here (the view computes a dozen per table).
WRITTEN_ROWS = """
SELECT schema, name, written FROM (
    SELECT n.nspname AS schema, c.relname AS name,
           pg_stat_get_xact_tuples_inserted(c.oid) + pg_stat_get_xact_tuples_updated(c.oid)
           + pg_stat_get_xact_tuples_deleted(c.oid) AS written
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
) AS counted WHERE written > 0
"""


def _writes(cursor) -> dict[tuple[str, str], int]:
    cursor.execute(WRITTEN_ROWS)
    return {(schema, table): count for schema, table, count in cursor.fetchall()}


def _diff(before: dict, after: dict) -> dict:
    return {key: count - before.get(key, 0) for key, count in after.items() if count != before.get(key, 0)}


def _get(client: Client, url: str, headers: dict):
    try:
        return client.get(url, **headers)
    except Exception as error:  # a 500 is an answer of the matrix, not a crash of the sweep
        return type(
            "Crashed",
            (),
            {"status_code": 500, "streaming": False, "content": repr(error).encode(), "get": lambda *a: ""},
        )()


def _sweep_all(django_db_blocker, answers: list) -> tuple[list, dict]:
    from tenants.models import User

    with django_db_blocker.unblock(), transaction.atomic():
        seeded = _seed(User.objects.get(username="platform"))
        LAST_COUNT.clear()
        ids = seeded["ids"]
        clients: dict[str, tuple[Client, dict]] = {}
        for persona in {p for p, _s, _k in WORKSPACE_CASES} | set(PUBLIC_PERSONAS):
            client = Client()
            headers = {}
            if persona == "token":
                headers = {"HTTP_AUTHORIZATION": f"Token {seeded['token']}"}
            elif persona != "anonymous":
                client.force_login(User.objects.get(username=persona))
            clients[persona] = (client, headers)
        LAST_COUNT.clear()  # logging in wrote sessions
        kwarg_names = _kwarg_names("steward.urls_workspace")
        cursor = connection.cursor()
        for name, route in WORKSPACE_ROUTES.items():
            plans = [("", route.kwargs, None)] + [
                (label, {**route.kwargs, **extra}, ok) for label, extra, ok in route.variants
            ]
            for label, overrides, ok in plans:
                query = overrides.get("?", "")
                for persona, slug, kind in WORKSPACE_CASES:
                    client, headers = clients[persona]
                    path = reverse(
                        name,
                        urlconf="steward.urls_workspace",
                        kwargs=_fill(kwarg_names[name], slug, ids, overrides),
                    )
                    url = f"/e/{slug}{path}" + (f"?{query}" if query else "")
                    answers.append(
                        _ask(
                            cursor,
                            client,
                            headers,
                            name,
                            label,
                            persona,
                            slug,
                            kind,
                            url,
                            route.expected(kind, ok),
                        )
                    )
        public_kwargs = _kwarg_names("steward.urls")
        for name, route in PUBLIC_ROUTES.items():
            for persona, kind in PUBLIC_PERSONAS.items():
                client, headers = clients[persona]
                url = reverse(
                    name, urlconf="steward.urls", kwargs=_fill(public_kwargs[name], "cx-power", ids, {})
                )
                answers.append(
                    _ask(cursor, client, headers, name, "", persona, "", kind, url, route.expected(kind))
                )
        LAST_COUNT.clear()
        readonly = _bureau_posts(clients, ids)
        transaction.set_rollback(True)
    return answers, readonly


@pytest.fixture(scope="module")
def sweep(django_db_setup, django_db_blocker):
    """Every GET of the matrix, once, inside one transaction rolled back at the end."""

    answers: list[Answer] = []
    started = time.monotonic()
    logging.disable(logging.WARNING)  # thousands of expected 403/404 warnings, each with its traceback
    try:
        answers, readonly = _sweep_all(django_db_blocker, answers)
    finally:
        logging.disable(logging.NOTSET)  # also when the sweep fails: later tests read the logs
    connection.set_schema_to_public()
    elapsed = time.monotonic() - started
    print(f"\naccess matrix: {len(answers)} GETs and {len(readonly)} POSTs in {elapsed:.1f} s")
    by_route: dict[str, float] = {}
    for answer in answers:
        by_route[answer.route] = by_route.get(answer.route, 0) + answer.seconds
    slowest = sorted(by_route.items(), key=lambda item: -item[1])[:12]
    print("slowest routes: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in slowest))
    print(
        f"requests {sum(by_route.values()):.1f} s, "
        + ", ".join(f"{k} {v:.1f} s" for k, v in OVERHEAD.items())
    )
    return {"answers": answers, "readonly": readonly, "seconds": elapsed}


OVERHEAD = {"counting": 0.0, "reading": 0.0}


LAST_COUNT: dict = {}


def _ask(cursor, client, headers, name, label, persona, slug, kind, url, expected) -> Answer:
    # Nothing writes between two requests of the sweep: the last request's "after" is this one's "before".
    before = LAST_COUNT.get("rows")
    if before is None:
        before = _writes(cursor)
    started = time.monotonic()
    response = _get(client, url, headers)
    seconds = time.monotonic() - started
    read = time.monotonic()
    text = _body_text(response) if response.status_code != 500 else ""  # a streamed body is read here
    leaked = [c for c in forbidden_canaries(persona) if c in text]
    counted = time.monotonic()
    OVERHEAD["reading"] += counted - read
    connection.set_schema_to_public()
    LAST_COUNT["rows"] = after = _writes(cursor)
    OVERHEAD["counting"] += time.monotonic() - counted
    return Answer(
        name,
        label,
        persona,
        slug,
        kind,
        url,
        response.status_code,
        expected,
        leaked,
        _diff(before, after),
        seconds,
    )


# The bureau only reads: a few writes it must be refused, whichever form they take.
BUREAU_POSTS = [
    ("evidence upload", "post", "/e/{slug}/evidence/", "file"),
    ("API evidence upload", "post", "/e/{slug}/api/v1/evidence/", "file"),
    ("profile edit", "post", "/e/{slug}/profile/", {"name_zh": "改名", "address": "x", "industry": "4411"}),
    ("API enterprise edit", "patch", "/e/{slug}/api/v1/enterprise/", {"address": "x"}),
    ("carbon data", "post", f"/e/{{slug}}/carbon/{LAST.year}/{LAST.month}/", {"save_output": "1"}),
    ("filing submit", "post", f"/e/{{slug}}/filing/{LAST.year}/{LAST.month}/submit/", {}),
    ("API filing submit", "post", f"/e/{{slug}}/api/v1/filings/{LAST.year}/{LAST.month}/submit/", {}),
    ("permit register", "post", "/e/{slug}/pollution/register/", {}),
    ("execution report", "post", f"/e/{{slug}}/pollution/reports/monthly/{LAST.year}/{LAST.month}/open/", {}),
    ("compliance PDF", "post", f"/e/{{slug}}/compliance/{LAST.year}/pdf/statement/", {}),
    ("intake upload", "post", "/e/{slug}/intake/upload/", "file"),
    (
        "platform submission",
        "post",
        f"/e/{{slug}}/filing/{LAST.year - 1}/1/platform/submissions/",
        {"submitted_on": f"{LAST.year}-02-01", "receipt_number": "X"},
    ),
]


def _bureau_posts(clients, ids) -> list[tuple]:
    results = []
    cursor = connection.cursor()
    for persona, slug in (("city.viewer", "cx-power"), ("changxing.inspector", "cx-power")):
        client, _headers = clients[persona]
        for label, method, template, data in BUREAU_POSTS:
            url = template.format(slug=slug)
            if data == "file":
                data = {
                    "file": SimpleUploadedFile("bureau.pdf", b"%PDF-1.4 bureau", "application/pdf"),
                    "kind": "other",
                }
            before = _writes(cursor)
            if method == "patch":
                response = client.patch(url, data, content_type="application/json")
            else:
                response = client.post(url, data)
            connection.set_schema_to_public()
            writes = {
                key: n for key, n in _diff(before, _writes(cursor)).items() if key not in ALLOWED_WRITES
            }
            results.append((persona, label, url, response.status_code, writes))
    return results


# --------------------------------------------------------------------------------------------- the tests


def test_every_route_is_classified():
    workspace, public_names = route_names("steward.urls_workspace"), route_names("steward.urls")
    assert None not in workspace | public_names, "every route needs a name to join the access matrix"
    assert workspace - set(WORKSPACE_ROUTES) == set(), "classify these workspace routes in WORKSPACE_ROUTES"
    assert public_names - set(PUBLIC_ROUTES) == set(), "classify these public routes in PUBLIC_ROUTES"
    assert set(WORKSPACE_ROUTES) - workspace == set() and set(PUBLIC_ROUTES) - public_names == set()


ALL_ROUTES = sorted(WORKSPACE_ROUTES) + sorted(f"public {name}" for name in PUBLIC_ROUTES)


def _answers(sweep, route: str) -> list[Answer]:
    name = route.removeprefix("public ")
    public_route = route.startswith("public ")
    return [a for a in sweep["answers"] if a.route == name and (a.slug == "") == public_route]


@pytest.mark.django_db
@pytest.mark.parametrize("route", ALL_ROUTES)
def test_access_matrix(sweep, route):
    answers = _answers(sweep, route)
    assert answers
    wrong = [
        f"{a.persona}@{a.slug or 'public'} ({a.kind}) {a.label} {a.url}: {a.status}, expected {sorted(a.expected)}"
        for a in answers
        if a.status not in a.expected
    ]
    leaks = [f"{a.persona}@{a.slug or 'public'} {a.label} {a.url}: {a.leaked}" for a in answers if a.leaked]
    assert not wrong and not leaks, "\n".join(wrong + leaks)


def _reading_marks(route: str):
    if route in KNOWN_WRITING_GETS:
        return [pytest.mark.xfail(reason=KNOWN_WRITING_GETS[route], strict=False)]
    return []


@pytest.mark.django_db
@pytest.mark.parametrize("route", [pytest.param(r, marks=_reading_marks(r)) for r in ALL_ROUTES])
def test_reading_writes_nothing(sweep, route):
    """No GET, by anyone, inserts, updates or deletes a row outside ALLOWED_WRITES, in any schema."""
    written = [
        f"{a.persona}@{a.slug or 'public'} {a.label} {a.url} ({a.status}): {writes}"
        for a in _answers(sweep, route)
        if (writes := {f"{s}.{t}": n for (s, t), n in a.writes.items() if (s, t) not in ALLOWED_WRITES})
    ]
    assert not written, "\n".join(written)


@pytest.mark.django_db
def test_the_bureau_is_read_only(sweep):
    refused = {403, 405}
    wrong = [
        f"{persona} {label} {url}: {status} {writes}"
        for persona, label, url, status, writes in sweep["readonly"]
        if status not in refused or writes
    ]
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_the_matrix_covers_every_kind_of_grant_and_the_canaries_are_readable(sweep):
    kinds = {a.kind for a in sweep["answers"]}
    assert {
        ADMIN,
        FILER,
        SIGNATORY,
        ST_BOTH,
        ST_CARBON,
        ST_ENV,
        B_VIEWER,
        B_INSPECTOR,
        NONE,
        ANON,
        TOKEN,
        BANK,
    } <= kinds
    # The canaries are where their owners see them, so their absence elsewhere means something.
    evidence = [a for a in sweep["answers"] if a.route == "workspace:evidence" and a.kind == ADMIN]
    assert evidence and all(a.status == 200 for a in evidence)
    assert any(
        a.route == "workspace:evidence_download" and a.kind == ST_BOTH and a.status == 200
        for a in sweep["answers"]
    )
