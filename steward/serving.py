"""How `manage.py demo` serves the product: as it runs in production, behind gunicorn with DEBUG off.

The demo is not a development server: Django's debug pages (English, with settings and tracebacks) must
never show, so the command hands over to gunicorn (deploy/gunicorn.conf.py, sync workers) with `DEBUG=0`,
and WhiteNoise serves the static files that `collectstatic` gathered under `.data/static` on this start
(so a changed stylesheet is picked up by the next start). It stays a local demo: plain HTTP on localhost,
so the production-only switches (HTTPS redirect, secure cookies) stay off (`STEWARD_ENV` is not set).
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

DEMO_STATIC_ROOT = Path(settings.BASE_DIR) / ".data" / "static"
GUNICORN_CONFIG = Path(settings.BASE_DIR) / "deploy" / "gunicorn.conf.py"
DEMO_WORKERS = 2  # the demo machine may have two cores; each sync worker holds one database connection


@dataclass(frozen=True)
class ServerCommand:
    argv: list[str]
    env: dict[str, str]


def demo_environment(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment the demo's server processes run in: DEBUG off, static files from .data/static."""
    env = dict(os.environ if base is None else base)
    env.pop("STEWARD_ENV", None)  # production mode would force HTTPS, which a localhost demo does not have
    env.update(
        {
            "DEBUG": "0",
            "STATIC_ROOT": str(DEMO_STATIC_ROOT),
            "DJANGO_SETTINGS_MODULE": "steward.settings",
            "STEWARD_USE_CURRENT_PYTHON": "1",  # already inside the project's environment
            "WEB_CONCURRENCY": env.get("WEB_CONCURRENCY", str(DEMO_WORKERS)),
        }
    )
    return env


def gunicorn_command(addrport: str, base: dict[str, str] | None = None) -> ServerCommand:
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        str(GUNICORN_CONFIG),
        "--bind",
        addrport,
        "steward.wsgi",
    ]
    return ServerCommand(argv=argv, env=demo_environment(base))


def collect_static(env: dict[str, str]) -> None:
    """Gather the static files into the demo's STATIC_ROOT (in a child process, which reads that setting)."""
    subprocess.run(
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "collectstatic", "--noinput", "-v0"],
        env=env,
        check=True,
    )


def serve(addrport: str) -> None:
    """Collect the static files, then replace this process by gunicorn (Ctrl-C stops it)."""
    from django.db import connections

    command = gunicorn_command(addrport)
    collect_static(command.env)
    connections.close_all()  # the server opens its own; nothing of this process's sessions is inherited
    sys.stdout.flush()
    os.execve(command.argv[0], command.argv, command.env)
