from django import template

from tenants.access import WorkspaceAccess

register = template.Library()


@register.filter
def allows(grant: WorkspaceAccess | None, action: str) -> bool:
    """{% if current_access|allows:"upload_evidence" %}: show only what the person may use."""
    return bool(grant) and grant.allows(action)


@register.filter
def role_label(role: str) -> str:
    from frontend.labels import ROLE_LABELS

    return ROLE_LABELS.get(role, role)
