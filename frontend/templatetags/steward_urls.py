"""URL helpers that work from both sides of the subfolder routing.

Inside /e/<slug>/ the active URLConf is the workspace one, so public pages are reversed against the public
URLConf explicitly, and workspace pages of another enterprise are built from its slug.
"""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def public_url(name: str, *args) -> str:
    return reverse(name, urlconf=settings.PUBLIC_SCHEMA_URLCONF, args=args)


@register.simple_tag
def workspace_url(enterprise, name: str = "workspace:home", *args) -> str:
    path = reverse(name, urlconf=settings.ROOT_URLCONF, args=args)
    return f"/{settings.TENANT_SUBFOLDER_PREFIX}/{enterprise.slug}{path}"


@register.simple_tag(takes_context=True)
def workspace_tab(context, name: str, label: str, exact: bool = False) -> str:
    """One tab of the workspace bar; the tab of the page being shown carries aria-current="page"."""
    url = reverse(name)
    request = context.get("request")
    path = request.path if request is not None else ""
    current = path == url if exact else path.startswith(url)
    return format_html(
        '<a class="nav-link" href="{}"{}>{}</a>',
        url,
        mark_safe(' aria-current="page"') if current else "",
        label,
    )
