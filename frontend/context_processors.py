"""What every page's header needs: the workspace switcher and the current workspace, if any."""

from tenants import access


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "switchable_workspaces": access.accessible_enterprises(user, include_bureau=False),
        "current_enterprise": getattr(request, "enterprise", None),
        "current_access": getattr(request, "workspace_access", None),
        "is_platform_admin": user.is_platform_admin,
        "is_bank_user": access.can(user, "view_bank_portal"),
        "unread_notifications": user.notifications.filter(read_at__isnull=True).count(),
    }
