"""DRF glue for tokens: authentication (the middleware has already checked the token against the
workspace) and a rate limit per token."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication
from rest_framework.throttling import SimpleRateThrottle

from steward.integrations.models import ApiToken


class WorkspaceTokenAuthentication(BaseAuthentication):
    """`Authorization: Token cst_…`, valid only under the /e/<slug>/ of the token's enterprise."""

    def authenticate(self, request):
        token = getattr(request._request, "api_token", None)
        if token is None:
            return None
        return (request._request.user, token)

    def authenticate_header(self, request) -> str:
        return "Token"


class TokenRateThrottle(SimpleRateThrottle):
    """Requests per token (settings REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["api_token"]); sessions are
    not limited here."""

    scope = "api_token"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class WorkspaceTokenScheme(OpenApiAuthenticationExtension):
    target_class = "steward.integrations.api_auth.WorkspaceTokenAuthentication"
    name = "workspaceToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token cst_<prefix>_<secret>`; valid only under /e/<slug>/ of its enterprise.",
        }
