"""Serving as production does: Chinese error pages with DEBUG off (English through the catalogue), and the
demo handed to gunicorn with DEBUG off and WhiteNoise serving the collected static files."""

import json
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.test import RequestFactory
from django.utils import translation
from django.views import defaults

from steward import serving

PAGES = {
    400: ("请求无法处理", "The request could not be processed", "bad-request"),
    403: ("无权执行此操作", "You may not do this", "forbidden"),
    404: ("页面不存在", "Page not found", "not-found"),
    500: ("服务暂时出错", "Something went wrong on our side", "server-error"),
}


def _render(status: int, request):
    if status == 400:
        return defaults.bad_request(request, SuspiciousOperation("x"))
    if status == 403:
        return defaults.permission_denied(request, PermissionDenied("x"))
    if status == 404:
        return defaults.page_not_found(request, Http404("x"))
    return defaults.server_error(request)


@pytest.mark.parametrize("status", sorted(PAGES))
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_error_pages_render_in_the_product_frame_with_debug_off(status, language, settings):
    settings.DEBUG = False
    chinese, english, testid = PAGES[status]
    with translation.override(language):
        response = _render(status, RequestFactory().get("/somewhere/"))
    html = response.content.decode()
    assert response.status_code == status
    brand = "湖州碳管家" if language == "zh-hans" else "Huzhou Carbon Steward"
    assert f'data-testid="{testid}"' in html and "steward.css" in html and brand in html
    assert (chinese if language == "zh-hans" else english) in html
    assert f"{status}" in html and "Traceback" not in html and "Django" not in html


@pytest.mark.django_db
def test_an_unknown_address_answers_the_chinese_404_page_not_the_debug_page(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html and 'data-testid="not-found"' in html and "URLconf" not in html


def test_the_demo_runs_gunicorn_with_the_deploy_config_and_debug_off():
    command = serving.gunicorn_command(
        "127.0.0.1:8765", base={"PATH": "/usr/bin", "STEWARD_ENV": "production"}
    )
    assert command.argv[:3] == [sys.executable, "-m", "gunicorn"]
    assert command.argv[command.argv.index("--config") + 1] == str(serving.GUNICORN_CONFIG)
    assert command.argv[command.argv.index("--bind") + 1] == "127.0.0.1:8765"
    assert command.argv[-1] == "steward.wsgi"
    env = command.env
    assert env["DEBUG"] == "0" and "STEWARD_ENV" not in env and env["PATH"] == "/usr/bin"
    assert env["STATIC_ROOT"] == str(settings.BASE_DIR / ".data" / "static")
    # The settings as gunicorn's workers will load them: DEBUG off, static files from the collected folder.
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json, django; django.setup(); from django.conf import settings as s; "
            "print(json.dumps([s.DEBUG, s.WHITENOISE_USE_FINDERS, str(s.STATIC_ROOT)]))",
        ],
        env={**command.env, "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert probe.returncode == 0, probe.stderr
    assert json.loads(probe.stdout.strip().splitlines()[-1]) == [False, False, env["STATIC_ROOT"]]
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in settings.MIDDLEWARE
