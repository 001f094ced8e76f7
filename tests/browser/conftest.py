"""A live server in a thread over the shared test database, and Debian's Chromium driven by Playwright.

The demo world was committed by the session setup, so the server thread sees it. No browser is downloaded:
Playwright launches the system Chromium through `executable_path`.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.db import connections

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def live_url(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler, allow_reuse_address=False)
        handler = StaticFilesHandler(WSGIHandler())

        def app(environ, start_response):
            # Close the request thread's connection, so nothing holds the test database at teardown.
            try:
                return handler(environ, start_response)
            finally:
                connections.close_all()

        server.set_app(app)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{server.server_port}"
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser():
    executable = os.environ.get("STEWARD_CHROMIUM") or next(
        (path for path in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if os.path.exists(path)), None
    )
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail(
                "Chromium is missing in CI: `python3 manage.py test` installs Debian's chromium as root"
            )
        pytest.skip("no Chromium on this machine (install Debian's chromium package)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread, which Django's async-safety check would
    # otherwise refuse for ORM calls made by the tests themselves.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture(scope="session")
def shots(tmp_path_factory) -> Path:
    """Where browser tests save their screenshots: $STEWARD_TEST_OUTPUT/screenshots (the run's output in CI),
    else a screenshots folder in this run's pytest temporary directory. `page.screenshot(path=str(shots /
    "role-step.png"), full_page=True)` at each step a person would look at."""
    root = os.environ.get("STEWARD_TEST_OUTPUT")
    folder = Path(root) / "screenshots" if root else tmp_path_factory.getbasetemp() / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def log_in(page, live_url: str, username: str, password: str) -> None:
    page.goto(f"{live_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("[data-testid=login-form] button[type=submit]")
    page.wait_for_url(f"{live_url}/home/")
