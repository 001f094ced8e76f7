"""The frame every page shares: vendored Bootstrap and steward.js from /static/ (no CDN, no inline script, which
the Content-Security-Policy would block), a skip link to <main id="main">, labelled landmarks, and the workspace
tab of the page being shown marked for screen readers."""

import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation


def scripts_and_styles(html: str) -> tuple[list[str], list[str]]:
    return re.findall(r"<script\b([^>]*)>", html), re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)


@pytest.mark.django_db
def test_pages_load_bootstrap_and_steward_js_from_static_with_a_skip_link(user_client):
    html = user_client("power.filer").get("/e/cx-power/carbon/").content.decode()
    scripts, styles = scripts_and_styles(html)
    assert styles == [
        "/static/vendor/bootstrap/bootstrap.min.css",
        "/static/vendor/bootstrap-icons/bootstrap-icons.min.css",
        "/static/frontend/steward.css",
    ]
    assert [re.search(r'src="([^"]+)"', s).group(1) for s in scripts] == [
        "/static/vendor/bootstrap/bootstrap.bundle.min.js",
        "/static/vendor/htmx/htmx.min.js",
        "/static/frontend/steward.js",
    ]  # every script has a src: none inline
    assert '<a class="visually-hidden-focusable skip-link" href="#main">跳到主要内容</a>' in html
    assert '<main class="page" id="main"' in html
    assert 'data-testid="nav-toggler"' in html and 'aria-label="展开导航菜单"' in html
    assert 'aria-label="主导航"' in html and 'aria-label="工作区栏目"' in html
    current = re.findall(r'<a class="nav-link" href="([^"]+)" aria-current="page">([^<]+)</a>', html)
    assert current == [("/e/cx-power/carbon/", "碳排放核算")]


@pytest.mark.parametrize("status", [400, 403, 404, 500])
def test_error_pages_render_on_bootstrap_without_any_context(status):
    with translation.override("zh-hans"):
        html = render_to_string(f"{status}.html")  # no request, no context processors (as for 500)
    assert "/static/vendor/bootstrap/bootstrap.min.css" in html and "<script" not in html
    assert f"错误代码 {status}" in html and "跳到主要内容" in html and 'class="btn btn-primary"' in html
