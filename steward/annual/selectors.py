"""Reading what an annual report is compiled from: the locked monthly filings of the year, as sealed.

Everything comes from the sealed payload of each month's locked filing and the calculation run it pinned,
never from the live records, so the report says exactly what was sealed month by month.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.annual.calculation import MonthFigures, annual_totals
from steward.annual.models import AnnualReport, ReportStatus
from steward.carbon.models import CalculationRun, EmissionSource
from steward.carbon.trace import plain
from steward.filing.models import FilingStatus, MonthlyFiling

STATUS_LABELS = dict(FilingStatus.choices)
ROLES = {"enterprise_signatory": "企业签字人", "enterprise_admin": "企业管理员"}


@dataclass(frozen=True)
class MonthState:
    month: int
    filing: MonthlyFiling | None

    @property
    def locked(self) -> bool:
        return self.filing is not None and self.filing.status == FilingStatus.LOCKED

    @property
    def label(self) -> str:
        if self.filing is None:
            return _("未创建存证")
        return _("%(status)s（第%(version)s版）") % {
            "status": STATUS_LABELS.get(self.filing.status, self.filing.status),
            "version": self.filing.version,
        }


def month_states(year: int) -> list[MonthState]:
    """The current (latest) filing version of each month of the year."""
    latest: dict[int, MonthlyFiling] = {}
    for filing in MonthlyFiling.objects.filter(year=year).order_by("month", "version"):
        latest[filing.month] = filing
    return [MonthState(month, latest.get(month)) for month in range(1, 13)]


def blocking_months(year: int) -> list[str]:
    """Months that stop compilation, named with their state (e.g. "3月：审核中（第1版）")."""
    return [
        _("%(month)s月：%(state)s") % {"month": state.month, "state": state.label}
        for state in month_states(year)
        if not state.locked
    ]


def current_report(year: int) -> AnnualReport | None:
    return AnnualReport.objects.filter(year=year).order_by("-version").first()


def submitted_versions(year: int):
    """The versions that reached the bureau (what oversight may read)."""
    return AnnualReport.objects.filter(year=year, submitted_at__isnull=False).order_by("-version")


def versions_visible_to(grant, year: int):
    """Every version for the enterprise and its carbon steward; for oversight only the versions submitted to
    it; none for a grant that may not read filings (an environmental-only steward)."""
    if grant.allows("view_carbon"):
        return AnnualReport.objects.filter(year=year).order_by("-version")
    if grant.allows("view_submitted_filings"):
        return submitted_versions(year)
    return AnnualReport.objects.none()


def latest_year_visible_to(grant) -> int | None:
    """The latest year with a version the grant may read (for oversight: one submitted to it), or None."""
    if grant.allows("view_carbon"):
        reports = AnnualReport.objects.all()
    elif grant.allows("view_submitted_filings"):
        reports = AnnualReport.objects.filter(submitted_at__isnull=False)
    else:
        return None
    return reports.order_by("-year").values_list("year", flat=True).first()


def canonical_json(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def payload_hash(payload: dict) -> str:
    return hashlib.sha256(canonical_json(payload)).hexdigest()


def _enterprise(enterprise) -> dict:
    return {
        "name": enterprise.name_zh,
        "credit_code": enterprise.credit_code,
        "address": enterprise.address,
        "jurisdiction": enterprise.jurisdiction.name_zh,
        "industry": f"{enterprise.industry_id} {enterprise.industry.name_zh}",
    }


def _people(enterprise) -> dict:
    """Who signs (the enterprise's signatories in force, with their role as position) and who to contact (its
    administrators), as printed on the report."""
    from tenants.models import EnterpriseMembership

    today = timezone.localdate()
    memberships = (
        EnterpriseMembership.objects.filter(
            enterprise=enterprise, revoked_at__isnull=True, starts_on__lte=today, role__in=ROLES
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .select_related("user")
        .order_by("role", "user__username")
    )
    people = {"signatories": [], "contacts": []}
    for membership in memberships:
        person = {
            "name": str(membership.user),
            "position": str(ROLES[membership.role]),
            "phone": membership.user.phone,
            "email": membership.user.email,
        }
        key = "signatories" if membership.role == "enterprise_signatory" else "contacts"
        people[key].append(person)
    return people


def _first_submission(year: int) -> dict[int, str]:
    """Each month's first submission to review (any version): its lateness is measured from that moment."""
    first: dict[int, str] = {}
    rows = MonthlyFiling.objects.filter(year=year, submitted_at__isnull=False).order_by(
        "month", "submitted_at"
    )
    for filing in rows:
        first.setdefault(filing.month, filing.submitted_at.isoformat())
    return first


def _findings(filing: MonthlyFiling) -> list[dict]:
    return [
        {
            "month": filing.month,
            "rule_id": f.rule_id,
            "severity": f.severity,
            "item": f.item,
            "message": f.message,
            "acknowledgement": f.acknowledgement,
            "waiver_reason": f.waiver_reason,
        }
        for f in filing.findings.order_by("rule_id", "item", "pk")
    ]


def build_payload(*, enterprise, year: int, version: int) -> dict:
    """The canonical content of a report version. Every month must be locked (checked by the caller)."""
    states = month_states(year)
    filings = [state.filing for state in states]
    runs = {
        run.pk: run
        for run in CalculationRun.objects.filter(
            pk__in=[(f.sealed_payload.get("result") or {}).get("run") for f in filings]
        )
    }
    months, month_rows, activity, findings = [], [], [], []
    first_submitted = _first_submission(year)
    for filing in filings:
        sealed = filing.sealed_payload
        run = runs[sealed["result"]["run"]]
        outputs = {o["kind"]: (Decimal(o["value"]), o["unit"]) for o in sealed["outputs"]}
        months.append(
            MonthFigures(filing.month, run.result["lines"], Decimal(sealed["result"]["total_tco2"]), outputs)
        )
        month_rows.append(
            {
                "month": filing.month,
                "filing_version": filing.version,
                "seal": filing.seal,
                "deadline": filing.deadline.isoformat(),
                "submitted_at": first_submitted.get(filing.month),
                "locked_at": filing.locked_at.isoformat(),
                "run": run.pk,
                "methodology_version": run.methodology_version,
                "factor_set": run.factor_set_version,
                "total_tco2": sealed["result"]["total_tco2"],
                "lines": [
                    {"label": line["label"], "tco2": line["tco2"], "inputs": line["inputs"]}
                    for line in run.result["lines"]
                ],
            }
        )
        activity += [record | {"month": filing.month} for record in sealed["records"]]
        findings += _findings(filing)
    totals = annual_totals(months)
    codes = {record["source"] for record in activity}
    sources = EmissionSource.objects.filter(code__in=codes).select_related("facility").order_by("code")
    return {
        "year": year,
        "version": version,
        "compiled_at": timezone.now().isoformat(),
        "enterprise": _enterprise(enterprise) | _people(enterprise),
        "methodology": runs[filings[0].sealed_payload["result"]["run"]].methodology,
        "methodology_version": month_rows[0]["methodology_version"],
        "sources": [
            {
                "code": s.code,
                "name": s.name,
                "kind": s.get_kind_display(),
                "facility": s.facility.name,
                "unit": s.unit,
            }
            for s in sources
        ],
        "months": month_rows,
        "activity": activity,
        "lines": [line | {"tco2": plain(line["tco2"])} for line in totals.lines],
        "outputs": {kind: {"value": plain(v), "unit": u} for kind, (v, u) in sorted(totals.outputs.items())},
        "intensities": [
            item | {"value": str(item["value"]), "denominator": plain(item["denominator"])}
            for item in totals.intensities
        ],
        "total_tco2": str(totals.total_tco2),
        "quality": {
            "rule_pack_versions": sorted({f.rule_pack_version for f in filings if f.rule_pack_version}),
            "control_plans": _control_plans(year),
            "findings": findings,
        },
    }


def _control_plans(year: int) -> list[dict]:
    """The data-quality control plan versions in force during the year (a month uses the one in force on its
    first day)."""
    from steward.quality.models import ControlPlanVersion

    plans: dict[int, dict] = {}
    for month in range(1, 13):
        plan = ControlPlanVersion.in_force(datetime.date(year, month, 1))
        if plan is not None:
            entry = plans.setdefault(
                plan.version,
                {"version": plan.version, "effective_from": plan.effective_from.isoformat(), "months": []},
            )
            entry["months"].append(month)
    return list(plans.values())


def open_statuses() -> set[str]:
    """States in which the enterprise may recompile (correct) the current version."""
    return {ReportStatus.COMPILED, ReportStatus.AWAITING_SIGNATURE, ReportStatus.RETURNED}
