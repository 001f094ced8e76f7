"""The read model's "filed there": per month, the national platform submission in force (receipt and date).

"Sealed here" is the month's lock (MonthFact.status, locked_at, projected from the filing); this projector adds
what the enterprise recorded from the platform, so the bureau sees both side by side without opening the
workspace. Registered by steward/oversight/projectors.py; re-run on `platform_submission.recorded`.
"""

from __future__ import annotations

from steward.filing.models import FilingStatus, MonthlyFiling
from steward.handoff.models import PlatformSubmission
from steward.oversight.projection import Projection, projector
from tenants.models import Enterprise


@projector("platform_submission")
def project_platform_submissions(enterprise: Enterprise, projection: Projection) -> None:
    """A receipt counts as "filed there" only for the seal of the month's latest locked version: after a
    reopen and a new lock, the platform holds the old figures until the filer records the re-filing."""
    sealed = {
        (year, month): seal
        for year, month, seal in MonthlyFiling.objects.filter(status=FilingStatus.LOCKED)
        .order_by("year", "month", "version")
        .values_list("year", "month", "seal")
    }
    current = PlatformSubmission.objects.filter(superseded_by__isnull=True).order_by("recorded_at", "pk")
    for row in current:
        if sealed.get((row.year, row.month)) != row.seal:
            continue
        projection.set_facts(
            (row.year, row.month),
            platform_submitted_on=row.submitted_on,
            platform_receipt_number=row.receipt_number,
        )
