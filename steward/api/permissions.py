from rest_framework.permissions import BasePermission

from tenants import access


class WorkspaceAction(BasePermission):
    """Allow a request when the live workspace access allows the view's action for its HTTP method.

    Views declare `workspace_actions = {"GET": "view_evidence", "POST": "upload_evidence"}`.
    """

    message = "您无权执行此操作。"

    def has_permission(self, request, view) -> bool:
        grant = getattr(request._request, "workspace_access", None)
        if grant is None:
            return False
        method = "GET" if request.method in {"HEAD", "OPTIONS"} else request.method
        action = view.workspace_actions.get(method)
        return action is not None and grant.allows(action)


class PlatformAction(BasePermission):
    message = "仅平台管理员可执行此操作。"

    def has_permission(self, request, view) -> bool:
        return access.can(request.user, view.platform_action)
