from steward.evidence.models import EvidenceFile
from steward.evidence.services import check_integrity
from tenants.tasks import tenant_task


@tenant_task(name="evidence.verify_integrity")
def verify_evidence_integrity(*, evidence_id: int) -> bool:
    """Confirm that the stored bytes of one evidence file still match its recorded SHA-256."""
    return check_integrity(EvidenceFile.objects.get(pk=evidence_id))
