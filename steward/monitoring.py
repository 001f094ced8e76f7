"""`/metrics` (django-prometheus) for the monitoring system only.

The figures carry no enterprise data, but they describe the platform's traffic per view and are nobody
else's business. A scrape is answered when the caller's own address (REMOTE_ADDR; X-Forwarded-For is
ignored, anyone can write it) is inside `METRICS_ALLOWED_NETWORKS` (default: loopback only), or when it
sends `Authorization: Bearer <METRICS_TOKEN>` (compared in constant time). Everyone else gets 403. The
reverse proxy and the Kubernetes ingress do not route the path at all (deploy/README.md, "Monitoring").
"""

from __future__ import annotations

import hmac
import ipaddress
from functools import cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django_prometheus.exports import ExportToDjangoView


@cache
def _networks(spec: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in spec)


def _from_allowed_network(request: HttpRequest) -> bool:
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return any(address in network for network in _networks(tuple(settings.METRICS_ALLOWED_NETWORKS)))


def _holds_token(request: HttpRequest) -> bool:
    expected = settings.METRICS_TOKEN
    scheme, _, presented = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if not expected or scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(presented.strip().encode(), expected.encode())


def may_scrape(request: HttpRequest) -> bool:
    return _from_allowed_network(request) or _holds_token(request)


def metrics(request: HttpRequest) -> HttpResponse:
    if not may_scrape(request):
        return HttpResponseForbidden(
            "metrics are served to the monitoring network only\n", content_type="text/plain"
        )
    return ExportToDjangoView(request)
