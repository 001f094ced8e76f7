"""Each workspace's URLconf is built once and keeps its own prefix: links on a page of one enterprise always point
into that enterprise, whichever workspace the same process served before, and the URL resolver is not rebuilt
on every request (tenants/routing.py)."""

from __future__ import annotations

import re

import pytest
from django.urls import get_resolver

from tenants import routing

pytestmark = pytest.mark.django_db


def _workspace_links(html: str) -> set[str]:
    return set(re.findall(r'href="/e/([a-z0-9-]+)/', html))


def _tab_links(html: str) -> set[str]:
    """The enterprises the workspace bar's tabs (reversed in the request's URLconf) point into."""
    return set(re.findall(r'class="nav-link" href="/e/([a-z0-9-]+)/', html))


def test_pages_of_two_workspaces_in_turn_link_only_into_their_own(user_client):
    client = user_client("greencarbon.reviewer")  # a steward serving both plants
    for slug in ("cx-power", "wx-cement", "cx-power", "wx-cement"):
        response = client.get(f"/e/{slug}/")
        assert response.status_code == 200
        assert _tab_links(response.content.decode()) == {slug}, slug
    public = client.get("/home/")
    assert public.status_code == 200
    assert _workspace_links(public.content.decode()) >= {"cx-power", "wx-cement"}  # the switcher


def test_the_resolver_of_a_workspace_is_built_once(user_client):
    client = user_client("power.admin")
    first = client.get("/e/cx-power/").wsgi_request.urlconf
    second = client.get("/e/cx-power/carbon/").wsgi_request.urlconf
    assert first is second
    resolver = get_resolver(first)
    assert resolver._populated, "the first request's reverse() populated it"
    client.get("/home/")
    assert get_resolver(client.get("/e/cx-power/").wsgi_request.urlconf) is resolver


def test_an_unknown_workspace_answers_404(user_client):
    assert user_client("power.admin").get("/e/no-such-plant/").status_code == 404


def test_the_kept_urlconfs_are_bounded(monkeypatch):
    monkeypatch.setattr(routing, "KEPT_URLCONFS", 2)
    routing.forget_urlconfs()

    class Tenant:
        def __init__(self, slug):
            self.domain_subfolder = slug

    first = routing.workspace_urlconf(Tenant("a-plant"))
    assert routing.workspace_urlconf(Tenant("a-plant")) is first
    routing.workspace_urlconf(Tenant("b-plant"))
    routing.workspace_urlconf(Tenant("c-plant"))  # drops a-plant, the least recently used
    assert routing.workspace_urlconf(Tenant("a-plant")) is not first
    assert len(routing._urlconfs) == 2
    routing.forget_urlconfs()
