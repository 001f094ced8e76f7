"""Every button a record's page shows is a step the workflow accepts from that person in that state, and every
step the workflow offers has its button: rendered per role × status and parsed, then each button's step is
called (and rolled back). The filing, annual report and execution report pages all draw from
workflows.<record>.available_actions, so a page can no longer offer what the service refuses (the filer's
acknowledge button during review did)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from steward.annual import selectors as annual_selectors
from steward.annual.models import AnnualReport, ReportStatus
from steward.demo.period import last_month
from steward.demo.pollution import build_power_plant
from steward.filing.models import MonthlyFiling
from steward.pollution.models import ReportStatus as ExecutionStatus
from tenants.access import workspace_access
from tenants.models import Enterprise, User
from tests.steward.filing.test_filing_flow import enter_month
from workflows import annual_report, execution_report, monthly_filing

# The codes of "not from this state": someone acted first / no such transition now / no reopen pending /
# one already pending / this annual report version is past correcting.
REFUSALS = {"conflict", "not_allowed", "no_request", "pending", "not_correctable"}


def buttons(page: str, prefix: str) -> set[tuple[str, str]]:
    """(action, target) for each form that posts under `prefix` (target: a finding's id, else "")."""
    found = set()
    for url in re.findall(r'<form[^>]*action="([^"]+)"', page):
        if url.startswith(prefix):
            found.add((url.removeprefix(prefix).strip("/"), ""))
        elif match := re.search(r"/findings/(\d+)/([a-z_]+)/$", url):
            found.add((match[2], match[1]))
    return found


def accepted(call) -> bool:
    """Does the step accept the call from this person in this state? Refused for the person (403) or the
    state is False. A submit refused for open findings is accepted (the page offers submit and the refusal
    lists the findings); anything else raised is a failure of the test's inputs and propagates."""
    try:
        with transaction.atomic():
            call()
            transaction.set_rollback(True)
    except PermissionDenied:
        return False
    except ValidationError as error:
        code = getattr(error, "code", None)
        if code in REFUSALS:
            return False
        if code == "open_findings":  # right person, right state; the data is not ready, and it says what
            assert error.items and all(finding.open for finding in error.items)
            return True
        raise
    return True


def person(username: str, enterprise: Enterprise):
    user = User.objects.get(username=username)
    return user, workspace_access(user, enterprise)


# ---------------------------------------------------------------- monthly filing

FILING_STATES = ("none", "draft", "in_review", "returned", "locked", "reopen_requested")
FILING_PEOPLE = {
    # the paper mill: its carbon steward reviews; the admin of the dyeing works reviews (no carbon steward)
    "nth-paper": ("paper.filer", "qingyuan.reviewer", "city.inspector"),
    "nx-dyeing": ("dyeing.admin", "city.inspector"),
}
FILING_RECORD_ACTIONS = {"open", "check", "submit", "return", "approve", "request_reopen", "approve_reopen"}


def _resolve_findings(enterprise, filing, reviewer) -> None:
    filer, filer_grant = reviewer["filer"]
    steward, steward_grant = reviewer["reviewer"]
    for finding in filing.findings.all():
        if finding.severity == "warning":
            monthly_filing.acknowledge(finding=finding, comment="已核实", by=filer, grant=filer_grant)
        elif finding.severity == "blocking":
            monthly_filing.waive(finding=finding, reason="停运", by=steward, grant=steward_grant)


def _filing_in(state: str, enterprise: Enterprise, people: dict) -> MonthlyFiling | None:
    filer, filer_grant = people["filer"]
    reviewer, reviewer_grant = people["reviewer"]
    enter_month(enterprise, 2025, 6, filer)
    if state == "none":
        return None
    filing = monthly_filing.open_filing(
        enterprise=enterprise, year=2025, month=6, by=filer, grant=filer_grant
    )
    monthly_filing.run_checks(enterprise=enterprise, filing=filing, by=filer, grant=filer_grant)
    if state == "draft":
        return filing
    _resolve_findings(enterprise, filing, people)
    filing = monthly_filing.submit(enterprise=enterprise, filing=filing, by=filer, grant=filer_grant)
    if state == "in_review":
        # a warning found after submission is the case the filer's acknowledge button was shown for
        filing.findings.filter(severity="warning").update(acknowledgement="", acknowledged_by=None)
        return filing
    if state == "returned":
        return monthly_filing.return_for_changes(
            filing=filing, comments={"month": "请核对"}, by=reviewer, grant=reviewer_grant
        )
    filing = monthly_filing.approve(filing=filing, by=reviewer, grant=reviewer_grant)
    if state == "reopen_requested":
        filing = monthly_filing.request_reopen(filing=filing, reason="录入错误", by=filer, grant=filer_grant)
    return filing


def _filing_step(action: str, target: str, enterprise, filing, user, grant):
    findings = filing.findings if filing else None
    steps = {
        "open": lambda: monthly_filing.open_filing(
            enterprise=enterprise, year=2025, month=6, by=user, grant=grant
        ),
        "check": lambda: monthly_filing.run_checks(
            enterprise=enterprise, filing=filing, by=user, grant=grant
        ),
        "submit": lambda: monthly_filing.submit(enterprise=enterprise, filing=filing, by=user, grant=grant),
        "return": lambda: monthly_filing.return_for_changes(
            filing=filing, comments={"month": "请核对"}, by=user, grant=grant
        ),
        "approve": lambda: monthly_filing.approve(filing=filing, by=user, grant=grant),
        "request_reopen": lambda: monthly_filing.request_reopen(
            filing=filing, reason="错", by=user, grant=grant
        ),
        "approve_reopen": lambda: monthly_filing.approve_reopen(filing=filing, by=user, grant=grant),
        "acknowledge": lambda: monthly_filing.acknowledge(
            finding=findings.get(pk=target), comment="已核实", by=user, grant=grant
        ),
        "waive": lambda: monthly_filing.waive(
            finding=findings.get(pk=target), reason="停运", by=user, grant=grant
        ),
    }
    return steps[action]


@pytest.mark.django_db
@pytest.mark.parametrize("slug", sorted(FILING_PEOPLE))
@pytest.mark.parametrize("state", FILING_STATES)
def test_filing_page_buttons_are_exactly_the_steps_the_workflow_accepts(state, slug, user_client):
    enterprise = Enterprise.objects.get(slug=slug)
    usernames = FILING_PEOPLE[slug]
    with schema_context(enterprise.schema_name):
        people = {"filer": person(usernames[0], enterprise), "reviewer": person(usernames[-2], enterprise)}
        filing = _filing_in(state, enterprise, people)
    prefix = f"/e/{slug}/filing/2025/6/"
    for username in usernames:
        page = user_client(username).get(prefix)
        with schema_context(enterprise.schema_name):
            user, grant = person(username, enterprise)
            if page.status_code == 404:  # oversight before submission: nothing to show, nothing to press
                assert not grant.allows("view_carbon") and state in ("none", "draft", "returned")
                continue
            assert page.status_code == 200
            shown = buttons(page.content.decode(), prefix)
            for action, target in shown:
                step = _filing_step(action, target, enterprise, filing, user, grant)
                assert accepted(step), (
                    f"{username} sees {action} on a {state} filing, the workflow refuses it"
                )
            record_buttons = {action for action, _target in shown if not _target}
            offered = monthly_filing.available_actions(filing, grant, user)
            assert offered & FILING_RECORD_ACTIONS == record_buttons, (username, state)
            for action in FILING_RECORD_ACTIONS - record_buttons - {"open"}:
                if filing is not None:
                    step = _filing_step(action, "", enterprise, filing, user, grant)
                    assert not accepted(step), f"{username} has no {action} button on a {state} filing"


@pytest.mark.django_db
def test_the_filer_is_not_offered_to_acknowledge_a_warning_during_review(user_client):
    enterprise = Enterprise.objects.get(slug="nth-paper")
    with schema_context(enterprise.schema_name):
        people = {
            "filer": person("paper.filer", enterprise),
            "reviewer": person("qingyuan.reviewer", enterprise),
        }
        filing = _filing_in("in_review", enterprise, people)
        assert filing.findings.filter(severity="warning", acknowledgement="").exists()
    page = user_client("paper.filer").get("/e/nth-paper/filing/2025/6/").content.decode()
    assert "/acknowledge/" not in page


@pytest.mark.django_db
def test_a_refused_submit_names_the_open_findings_in_chinese():
    enterprise = Enterprise.objects.get(slug="nth-paper")
    with schema_context(enterprise.schema_name):
        filer, grant = person("paper.filer", enterprise)
        enter_month(enterprise, 2025, 6, filer)
        filing = monthly_filing.open_filing(enterprise=enterprise, year=2025, month=6, by=filer, grant=grant)
        found = monthly_filing.run_checks(enterprise=enterprise, filing=filing, by=filer, grant=grant)
        with pytest.raises(ValidationError) as refused:
            monthly_filing.submit(enterprise=enterprise, filing=filing, by=filer, grant=grant)
        open_rules = sorted(f.rule_id for f in refused.value.items)
        assert refused.value.code == "open_findings" and open_rules
        assert open_rules == sorted(f.rule_id for f in found if f.open)
        message = refused.value.messages[0]
        assert message.startswith("仍有") and all(rule in message for rule in open_rules)
        assert "transition" not in message


# ---------------------------------------------------------------- annual report

YEAR = last_month()[0] - 1
PASSWORD = "huzhou-demo-2024"
ANNUAL_STATES = ("compiled", "in_review", "awaiting_signature", "submitted", "accepted", "returned")
ANNUAL_PEOPLE = ("cement.filer", "cement.admin", "cement.signatory", "greencarbon.reviewer", "city.inspector")


def _report_in(state: str, enterprise) -> AnnualReport:
    def who(name):
        user, grant = person(name, enterprise)
        return {"enterprise": enterprise, "by": user, "grant": grant}

    report = annual_selectors.current_report(YEAR)
    assert report.status == ReportStatus.COMPILED
    if state == "compiled":
        return report
    report = annual_report.send_for_review(report=report, **who("cement.filer"))
    if state == "in_review":
        return report
    if state == "returned":
        return annual_report.return_from_review(report=report, reason="请核对", **who("greencarbon.reviewer"))
    document = annual_report.approve_review(report=report, **who("greencarbon.reviewer"))
    report = AnnualReport.objects.get(pk=report.pk)
    if state == "awaiting_signature":
        return report
    annual_report.sign(
        report=report,
        password=PASSWORD,
        attested=True,
        document_sha256=document.sha256,
        **who("cement.signatory"),
    )
    report = AnnualReport.objects.get(pk=report.pk)
    if state == "accepted":
        return annual_report.accept(report=report, **who("city.inspector"))
    return report


def _annual_step(action: str, page: str, report, actor: dict):
    sha = re.search(r'name="document_sha256" value="([0-9a-f]{64})"', page)
    steps = {
        "compile": lambda: annual_report.compile_report(year=YEAR, reason="更正", **actor),
        "send_for_review": lambda: annual_report.send_for_review(report=report, **actor),
        "approve_review": lambda: annual_report.approve_review(report=report, **actor),
        "return_review": lambda: annual_report.return_from_review(report=report, reason="请核对", **actor),
        "sign": lambda: annual_report.sign(
            report=report, password=PASSWORD, attested=True, document_sha256=sha[1] if sha else "", **actor
        ),
        "accept": lambda: annual_report.accept(report=report, **actor),
        "return_bureau": lambda: annual_report.return_from_bureau(report=report, reason="请更正", **actor),
    }
    return steps[action]


@pytest.mark.django_db
@pytest.mark.parametrize("state", ANNUAL_STATES)
def test_annual_report_buttons_are_exactly_the_steps_the_workflow_accepts(state, user_client):
    enterprise = Enterprise.objects.get(slug="wx-cement")
    with schema_context(enterprise.schema_name):
        report = _report_in(state, enterprise)
    prefix = f"/e/wx-cement/annual/{YEAR}/"
    for username in ANNUAL_PEOPLE:
        page = user_client(username).get(prefix)
        with schema_context(enterprise.schema_name):
            user, grant = person(username, enterprise)
            if page.status_code == 404:
                assert not grant.allows("view_carbon")
                continue
            html = page.content.decode()
            shown = {action for action, _target in buttons(html, prefix)}
            shown = {action for action in shown if "." not in action and action != "xlsx"}  # downloads
            actor = {"enterprise": enterprise, "by": user, "grant": grant}
            for action in shown:
                step = _annual_step(action, html, report, actor)
                assert accepted(step), (
                    f"{username} sees {action} on a {state} report, the workflow refuses it"
                )
            assert annual_report.available_actions(report, grant, user) == shown, (username, state)
            for action in set(annual_report.TRANSITION_ACTIONS.values()) - shown:
                assert not accepted(_annual_step(action, html, report, actor)), (username, state, action)


# ---------------------------------------------------------------- execution report

LAST = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
EXECUTION_STATES = ("none", "draft", "in_review", "returned", "approved")
EXECUTION_PEOPLE = ("power.filer", "power.admin", "greencarbon.reviewer", "city.inspector")
EXECUTION_RECORD_ACTIONS = {"open", "submit", "return", "approve"}


def _execution_in(state: str, enterprise):
    filer, filer_grant = person("power.filer", enterprise)
    steward, steward_grant = person("greencarbon.reviewer", enterprise)
    if state == "none":
        return None
    report = execution_report.open_report(
        frequency="monthly", year=LAST.year, period=LAST.month, by=filer, grant=filer_grant
    )
    if state == "draft":
        return report
    report = execution_report.submit(report=report, by=filer, grant=filer_grant)
    if state == "returned":
        return execution_report.return_for_changes(
            report=report, comment="请核对", by=steward, grant=steward_grant
        )
    if state == "approved":
        return execution_report.approve(report=report, enterprise=enterprise, by=steward, grant=steward_grant)
    return report


def _execution_step(action: str, report, enterprise, user, grant):
    steps = {
        "open": lambda: execution_report.open_report(
            frequency="monthly", year=LAST.year, period=LAST.month, by=user, grant=grant
        ),
        "submit": lambda: execution_report.submit(report=report, by=user, grant=grant),
        "return": lambda: execution_report.return_for_changes(
            report=report, comment="请核对", by=user, grant=grant
        ),
        "approve": lambda: execution_report.approve(
            report=report, enterprise=enterprise, by=user, grant=grant
        ),
    }
    return steps[action]


@pytest.mark.django_db
@pytest.mark.parametrize("state", EXECUTION_STATES)
def test_execution_report_buttons_are_exactly_the_steps_the_workflow_accepts(state, user_client):
    enterprise = Enterprise.objects.get(slug="cx-power")
    with schema_context(enterprise.schema_name):
        build_power_plant(
            LAST.year, LAST.month, User.objects.get(username="power.filer"), cems_months=[LAST.month]
        )  # its permit
        report = _execution_in(state, enterprise)
        assert report is None or report.status == getattr(ExecutionStatus, state.upper())
    prefix = f"/e/cx-power/pollution/reports/monthly/{LAST.year}/{LAST.month}/"
    for username in EXECUTION_PEOPLE:
        page = user_client(username).get(prefix)
        with schema_context(enterprise.schema_name):
            user, grant = person(username, enterprise)
            if page.status_code == 404:
                continue
            assert page.status_code == 200
            shown = {action for action, _target in buttons(page.content.decode(), prefix)} - {"declare"}
            for action in shown:
                step = _execution_step(action, report, enterprise, user, grant)
                assert accepted(step), (
                    f"{username} sees {action} on a {state} report, the workflow refuses it"
                )
            offered = execution_report.available_actions(report, grant, user)
            assert offered & EXECUTION_RECORD_ACTIONS == shown, (username, state)
            if report is not None:
                for action in EXECUTION_RECORD_ACTIONS - shown - {"open"}:
                    assert not accepted(_execution_step(action, report, enterprise, user, grant)), (
                        username,
                        action,
                    )
