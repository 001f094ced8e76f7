"""Which schema and which URLconf a request gets: django-tenants' subfolder routing (/e/<slug>/…), with each
workspace's URLconf built once instead of once per request.

django-tenants' `TenantSubfolderMiddleware` builds a new URLconf module for the workspace on every request and
then clears Django's URL caches (`clear_url_caches`), so every request, public pages included, re-populates a
resolver of the whole URL tree before its first `reverse()`: about a fifth of a workspace page's server time
(the page-language crawl, 594 pages: 31 of 144 profiled seconds). Here the module of each workspace is kept,
so Django's resolver cache (keyed by the module) holds one resolver per workspace and the public one, and the
prefix of a workspace is fixed in its own module as upstream intends (django-tenants #820): a reverse() in one
workspace's request can never yield another workspace's path. The kept modules are bounded; when one is
dropped, Django's URL caches are cleared once so its resolver goes with it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from types import ModuleType

from django.db import connection
from django.urls import clear_url_caches, set_urlconf
from django_tenants.middleware.subfolder import TenantSubfolderMiddleware as UpstreamSubfolderMiddleware
from django_tenants.urlresolvers import get_subfolder_urlconf
from django_tenants.utils import get_public_schema_name, get_subfolder_prefix, get_tenant_domain_model

KEPT_URLCONFS = 256  # workspaces whose resolver stays built; the busiest of Huzhou's ~2,000 fit in it

_urlconfs: OrderedDict[str, ModuleType] = OrderedDict()
_lock = threading.Lock()


def workspace_urlconf(tenant) -> ModuleType:
    """The URLconf module of the workspace at /e/<tenant.domain_subfolder>/, the same object every time while
    it is kept (the least recently used is dropped past KEPT_URLCONFS)."""
    slug = tenant.domain_subfolder
    with _lock:
        module = _urlconfs.get(slug)
        if module is not None:
            _urlconfs.move_to_end(slug)
            return module
        module = _urlconfs[slug] = get_subfolder_urlconf(tenant)
        dropped = len(_urlconfs) > KEPT_URLCONFS
        if dropped:
            _urlconfs.popitem(last=False)
    if dropped:
        clear_url_caches()  # the dropped module's resolver would otherwise stay in Django's cache
    return module


def forget_urlconfs() -> None:
    with _lock:
        _urlconfs.clear()
    clear_url_caches()


class TenantSubfolderMiddleware(UpstreamSubfolderMiddleware):
    """Upstream's routing (the public schema outside /e/, the workspace of <slug> inside, 404 for an unknown
    slug), without rebuilding the URL resolver on each request."""

    def process_request(self, request):
        if hasattr(request, "tenant"):  # another middleware chose the tenant already
            return None
        connection.set_schema_to_public()
        hostname = self.hostname_from_request(request)
        prefix = f"/{get_subfolder_prefix()}/"
        if not request.path.startswith(prefix):
            tenant = self._public_tenant()
            self.setup_url_routing(request, force_public=True)
        else:
            slug = request.path[len(prefix) :].split("/")[0]
            domain_model = get_tenant_domain_model()
            try:
                tenant = self.get_tenant(domain_model=domain_model, hostname=slug)
            except domain_model.DoesNotExist:
                return self.no_tenant_found(request, slug)
            tenant.domain_subfolder = slug
            request.urlconf = workspace_urlconf(tenant)
            set_urlconf(request.urlconf)
        tenant.domain_url = hostname
        request.tenant = tenant
        connection.set_tenant(tenant)
        return None

    def _public_tenant(self):
        from django_tenants.utils import get_tenant_model

        tenant_model = get_tenant_model()
        try:
            return tenant_model.objects.get(schema_name=get_public_schema_name())
        except tenant_model.DoesNotExist:
            raise self.TENANT_NOT_FOUND_EXCEPTION("Unable to find public tenant") from None
