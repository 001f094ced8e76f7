"""Bind every workspace request to a person who may be there, checked against live data on each request."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name

from tenants import access
from tenants.models import Enterprise

logger = logging.getLogger("steward.access")
UNESCAPED = {"ensure_ascii": False}


def is_api_request(request: HttpRequest) -> bool:
    return "/api/" in request.path


def _enterprise_of(tenant) -> Enterprise:
    return Enterprise.objects.select_related("jurisdiction", "industry").get(workspace=tenant)


class WorkspaceAccessMiddleware:
    """After TenantSubfolderMiddleware has chosen the schema: refuse anyone without a live role there.

    The URL (/e/<slug>/) only selects the workspace; it never grants access (RELIABILITY.md §2.8).
    Sets `request.enterprise` and `request.workspace_access` for views.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        tenant = getattr(request, "tenant", None)
        request.enterprise = None
        request.workspace_access = None
        if tenant is None or tenant.schema_name == get_public_schema_name():
            return self.get_response(request)
        if is_api_request(request) and request.headers.get("Authorization", "").startswith("Token "):
            return self._token_request(request, tenant)
        enterprise = _enterprise_of(tenant)
        if not request.user.is_authenticated:
            if is_api_request(request):
                return JsonResponse(
                    {"detail": _("请先登录。"), "code": "not_authenticated"},
                    status=401,
                    json_dumps_params=UNESCAPED,
                )
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        grant = access.workspace_access(request.user, enterprise)
        if not grant:
            logger.warning(
                "workspace access refused",
                extra={"user_id": request.user.pk, "enterprise": enterprise.slug, "path": request.path},
            )
            if is_api_request(request):
                return JsonResponse(
                    {"detail": _("您无权访问该企业工作区。"), "code": "no_workspace_access"},
                    status=403,
                    json_dumps_params=UNESCAPED,
                )
            response = TemplateResponse(
                request, "frontend/forbidden.html", {"enterprise": enterprise}, status=403
            )
            return response.render()
        request.enterprise = enterprise
        request.workspace_access = grant
        return self.get_response(request)

    def _token_request(self, request: HttpRequest, tenant) -> HttpResponse:
        """A machine client: the token must be live and belong to this very enterprise.

        The token's query brings its enterprise; only a token of another workspace needs this one's looked up.
        """
        from steward.integrations.tokens import token_from_header

        token = token_from_header(request.headers["Authorization"])
        if token is not None and token.enterprise.workspace_id == tenant.pk:
            enterprise = token.enterprise
        else:
            enterprise = _enterprise_of(tenant)
        if token is None:
            return JsonResponse(
                {"detail": _("API 令牌无效或已吊销。"), "code": "invalid_token"},
                status=401,
                json_dumps_params=UNESCAPED,
            )
        grant = access.token_access(token, enterprise)
        if not grant:
            logger.warning(
                "token refused",
                extra={"token": token.prefix, "enterprise": enterprise.slug, "path": request.path},
            )
            return JsonResponse(
                {"detail": _("该令牌不属于此企业工作区或已失效。"), "code": "token_wrong_workspace"},
                status=403,
                json_dumps_params=UNESCAPED,
            )
        request.user, request.api_token = token.user, token
        request.enterprise, request.workspace_access = enterprise, grant
        return self.get_response(request)
