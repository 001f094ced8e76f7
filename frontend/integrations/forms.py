"""Forms of the integration pages: API tokens and webhook endpoints."""

from django import forms
from django.utils.translation import gettext_lazy as _

from steward.integrations.models import TokenPermission, WebhookEndpoint


class TokenForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=80)
    permissions = forms.MultipleChoiceField(
        label=_("权限"), choices=TokenPermission.choices, widget=forms.CheckboxSelectMultiple
    )


class WebhookForm(forms.Form):
    url = forms.URLField(label=_("接收地址"), max_length=400)
    events = forms.MultipleChoiceField(
        label=_("事件"), choices=WebhookEndpoint.Event.choices, widget=forms.CheckboxSelectMultiple
    )
