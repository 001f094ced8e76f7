"""The enterprise administrator's integration pages: API tokens and webhooks with their delivery log."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from frontend.integrations.forms import TokenForm, WebhookForm
from steward.integrations import tokens, webhooks
from steward.integrations.models import ApiToken, WebhookDelivery, WebhookEndpoint
from tenants.access import require_workspace_action


def _report(form, error: ValidationError) -> None:
    for field, errors in getattr(error, "error_dict", {None: error.error_list}).items():
        form.add_error(field if field in form.fields else None, errors)


@require_workspace_action("manage_api_tokens")
def api_tokens(request):
    form = TokenForm(request.POST or None)
    new_secret = None
    if request.method == "POST" and form.is_valid():
        try:
            created = tokens.create_token(enterprise=request.enterprise, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _report(form, error)
        else:
            new_secret, form = created.secret, TokenForm()  # shown in this response only, never again
    rows = ApiToken.objects.filter(enterprise=request.enterprise).select_related("created_by", "revoked_by")
    return render(
        request, "frontend/integrations/tokens.html", {"form": form, "tokens": rows, "new_secret": new_secret}
    )


@require_POST
@require_workspace_action("manage_api_tokens")
def revoke_api_token(request, token_id: int):
    token = get_object_or_404(ApiToken, pk=token_id, enterprise=request.enterprise)
    tokens.revoke_token(token=token, by=request.user)
    messages.success(request, _("令牌已吊销。"))
    return redirect("workspace:api_tokens")


@require_workspace_action("manage_webhooks")
def webhook_list(request):
    form = WebhookForm(request.POST or None)
    new_secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _endpoint, new_secret = webhooks.add_endpoint(
                enterprise=request.enterprise, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _report(form, error)
        else:
            form = WebhookForm()
    endpoints = WebhookEndpoint.objects.filter(enterprise=request.enterprise)
    deliveries = (
        WebhookDelivery.objects.filter(endpoint__enterprise=request.enterprise)
        .select_related("endpoint")
        .prefetch_related("log")[:50]
    )
    context = {"form": form, "endpoints": endpoints, "deliveries": deliveries, "new_secret": new_secret}
    return render(request, "frontend/integrations/webhooks.html", context)


@require_POST
@require_workspace_action("manage_webhooks")
def disable_webhook(request, endpoint_id: int):
    endpoint = get_object_or_404(WebhookEndpoint, pk=endpoint_id, enterprise=request.enterprise)
    webhooks.disable_endpoint(endpoint=endpoint, by=request.user)
    messages.success(request, _("接收地址已停用。"))
    return redirect("workspace:webhooks")
