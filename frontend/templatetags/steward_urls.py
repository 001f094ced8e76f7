"""URL helpers that work from both sides of the subfolder routing.

Inside /e/<slug>/ the active URLConf is the workspace one, so public pages are reversed against the public
URLConf explicitly, and workspace pages of another enterprise are built from its slug.
"""

from django import template
from django.conf import settings
from django.urls import reverse

register = template.Library()


@register.simple_tag
def public_url(name: str, *args) -> str:
    return reverse(name, urlconf=settings.PUBLIC_SCHEMA_URLCONF, args=args)


@register.simple_tag
def workspace_url(enterprise, name: str = "workspace:home", *args) -> str:
    path = reverse(name, urlconf=settings.ROOT_URLCONF, args=args)
    return f"/{settings.TENANT_SUBFOLDER_PREFIX}/{enterprise.slug}{path}"
