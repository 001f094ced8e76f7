"""Bring a migrated database to a usable platform: the steps shared by `setup_platform` and the test suite."""

from steward.compliance.reference.loader import load_compliance_reference
from steward.factors.loader import load_factor_library
from tenants import reference_data, services
from tenants.deadlines import ensure_national_policy


def prepare_platform(*, verbosity: int = 0) -> dict[str, object]:
    """Public workspace row, reference lists, factor library, migrated tenant template. Idempotent."""
    services.ensure_public_workspace()
    jurisdictions = reference_data.load_jurisdictions()
    industries = reference_data.load_industries()
    factor_set, _created = load_factor_library()
    load_compliance_reference()
    ensure_national_policy()
    services.prepare_tenant_template(verbosity=verbosity)
    return {"jurisdictions": jurisdictions, "industries": industries, "factor_set": factor_set.version}
