"""The built-in projectors: the monthly filing and the emissions it sealed.

The other domains' projectors live in their packages and are registered by importing them here (bottom).

Both run inside the enterprise's schema (see `projection.project`). Emissions are taken from the sealed
payload of the latest locked version, never from a draft, so the read model holds only approved figures.
"""

from __future__ import annotations

from decimal import Decimal

from steward.filing.models import FilingEvent, FilingStatus, MonthlyFiling
from steward.oversight.projection import Projection, projector
from tenants.models import Enterprise

# Which output an intensity is expressed against, first match wins (tCO2 per MWh supplied, per t clinker).
INTENSITY_OUTPUTS = ("electricity_supplied", "clinker_output", "electricity_generated", "heat_supplied")
TOTAL_PLACES = Decimal("0.0001")
INTENSITY_PLACES = Decimal("0.000001")


def _finding_counts(filing: MonthlyFiling) -> dict[str, int]:
    counts = {
        "open_findings": 0,
        "waived_findings": 0,
        "waived_blocking": 0,
        "acknowledged_findings": 0,
        "missing_evidence": 0,
    }
    for finding in filing.findings.all():
        counts["open_findings"] += finding.open
        counts["waived_findings"] += bool(finding.waiver_reason)
        counts["waived_blocking"] += bool(finding.waiver_reason) and finding.severity == "blocking"
        counts["acknowledged_findings"] += bool(finding.acknowledgement) and not finding.waiver_reason
        counts["missing_evidence"] += finding.category == "evidence"
    return counts


@projector("monthly_filing")
def project_filings(enterprise: Enterprise, projection: Projection) -> None:
    """Per month: the current version's state, deadline, timeliness, returns and finding counts."""
    filings = MonthlyFiling.objects.prefetch_related("findings").order_by("year", "month", "version")
    by_month: dict[tuple[int, int], list[MonthlyFiling]] = {}
    for filing in filings:
        by_month.setdefault((filing.year, filing.month), []).append(filing)
    submissions: dict[int, list] = {}
    returns: dict[int, int] = {}
    for filing_id, action, at in FilingEvent.objects.filter(
        action__in=[FilingEvent.Action.SUBMITTED, FilingEvent.Action.RETURNED]
    ).values_list("filing_id", "action", "at"):
        if action == FilingEvent.Action.SUBMITTED:
            submissions.setdefault(filing_id, []).append(at)
        else:
            returns[filing_id] = returns.get(filing_id, 0) + 1
    for period, versions in by_month.items():
        current = versions[-1]
        submitted = sorted(at for v in versions for at in submissions.get(v.pk, []))
        first = submitted[0] if submitted else None
        projection.set_facts(
            period,
            status=current.status,
            version=current.version,
            deadline=current.deadline,
            first_submitted_at=first,
            submitted_at=current.submitted_at,
            locked_at=current.locked_at,
            submitted_late=bool(first and first.date() > versions[0].deadline),
            returned_count=sum(returns.get(v.pk, 0) for v in versions),
            **_finding_counts(current),
        )


@projector("emissions")
def project_emissions(enterprise: Enterprise, projection: Projection) -> None:
    """Per month: total tCO2 and intensity sealed by the latest locked version."""
    locked = MonthlyFiling.objects.filter(status=FilingStatus.LOCKED).order_by("year", "month", "version")
    for filing in locked:  # later versions overwrite earlier ones
        payload = filing.sealed_payload or {}
        result = payload.get("result")
        if not result:
            continue
        total = Decimal(result["total_tco2"]).quantize(TOTAL_PLACES)
        outputs = {row["kind"]: row for row in payload.get("outputs", [])}
        output = next((outputs[kind] for kind in INTENSITY_OUTPUTS if kind in outputs), None)
        value = Decimal(output["value"]) if output else None
        projection.set_facts(
            (filing.year, filing.month),
            figures_version=filing.version,
            total_tco2=total,
            output_value=value.quantize(TOTAL_PLACES) if value is not None else None,
            output_unit=output["unit"] if output else "",
            intensity=(total / value).quantize(INTENSITY_PLACES) if value else None,
        )


# Projectors of the other domains (each module registers itself with @projector).
from steward.annual import oversight as annual_oversight  # noqa: E402, F401
from steward.budget import oversight as budget_oversight  # noqa: E402, F401
from steward.compliance import oversight as compliance_oversight  # noqa: E402, F401
from steward.handoff import oversight as handoff_oversight  # noqa: E402, F401
from steward.pollution import oversight as pollution_oversight  # noqa: E402, F401
