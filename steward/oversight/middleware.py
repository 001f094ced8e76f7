"""Record every request a steward or bureau user makes into an enterprise's workspace (append-only log).

Runs after `WorkspaceAccessMiddleware`, so only requests that were let in carry a grant; refused requests are
already logged by that middleware. Enterprise users' own requests are not recorded here.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from steward.oversight.models import AccessLogEntry
from tenants.access import BUREAU_ROLES, STEWARD_ROLES


class AccessLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        grant = getattr(request, "workspace_access", None)
        outside_roles = grant.roles & (STEWARD_ROLES | BUREAU_ROLES) if grant else frozenset()
        if outside_roles:
            AccessLogEntry.objects.create(
                enterprise=grant.enterprise,
                user=request.user,
                roles=",".join(sorted(outside_roles)),
                method=request.method[:8],
                path=request.get_full_path()[:300],
                status_code=response.status_code,
            )
        return response
