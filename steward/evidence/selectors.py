"""What a grant may see of the evidence files: the one answer for the list page, the API and downloads."""

from __future__ import annotations

from django.db.models import QuerySet

from steward.evidence.models import EvidenceFile
from tenants.access import STEWARD_ROLES, WorkspaceAccess

# A file uploaded without a stated scope belongs where its kind does; anything else belongs to both.
KIND_SCOPES = {
    EvidenceFile.Kind.MONITORING_REPORT: EvidenceFile.Scope.ENVIRONMENTAL,
    EvidenceFile.Kind.LAB_REPORT: EvidenceFile.Scope.CARBON,
    EvidenceFile.Kind.INVOICE: EvidenceFile.Scope.CARBON,
}


def default_scope(kind: str) -> str:
    return KIND_SCOPES.get(kind, EvidenceFile.Scope.BOTH).value


def visible_scopes(grant: WorkspaceAccess) -> frozenset[str] | None:
    """None when every file is visible (the enterprise's own people); else the scopes the grant holds."""
    if not grant.allows("view_evidence"):
        return frozenset()
    if grant.roles - STEWARD_ROLES:
        return None  # an enterprise role sees the enterprise's whole file store
    return grant.steward_scopes


def evidence_visible_to(grant: WorkspaceAccess) -> QuerySet[EvidenceFile]:
    """Evidence files this grant may list and download: all for the enterprise; for a steward, the files of
    the scopes its live engagement covers (a file of both scopes is visible to either); none otherwise."""
    rows = EvidenceFile.objects.all()
    scopes = visible_scopes(grant)
    if scopes is None:
        return rows
    if not scopes:
        return rows.none()
    return rows.filter(scope__in=[*scopes, EvidenceFile.Scope.BOTH])
