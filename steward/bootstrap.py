"""Make a fresh checkout runnable with nothing but Python 3.11 (standard library only).

`ensure_virtualenv` creates `.venv` beside `manage.py`, installs the project with its test extras whenever
`pyproject.toml` changed, and re-executes the current command inside that environment.
`ensure_database_url` starts an embedded PostgreSQL (the `pgserver` package) under `.data/postgres` when no
`DATABASE_URL` is given, and exports the URL so child processes (runserver's reloader, pytest) reuse it.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
EMBEDDED_PGDATA = ROOT / ".data" / "postgres"
EMBEDDED_DATABASE = "steward"


def _venv_python() -> Path:
    return VENV / "bin" / "python"


def _running_in_project_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


def _install_stamp() -> Path:
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()[:16]
    return VENV / f".installed-{digest}"


def ensure_virtualenv(argv: list[str]) -> None:
    """Re-run `argv` inside the project's virtual environment, creating and filling it first if needed.

    Set STEWARD_USE_CURRENT_PYTHON=1 to skip this (container images install into the system Python).
    """
    if os.environ.get("STEWARD_USE_CURRENT_PYTHON") == "1":
        return
    if _running_in_project_venv() and _install_stamp().exists():
        return
    if not _venv_python().exists():
        print(f"[steward] creating virtual environment {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True, upgrade_deps=False).create(VENV)
    stamp = _install_stamp()
    if not stamp.exists():
        print("[steward] installing the project and its dependencies (first run only)", flush=True)
        subprocess.run(
            [
                str(_venv_python()),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "-e",
                f"{ROOT}[test]",
            ],
            check=True,
        )
        for old in VENV.glob(".installed-*"):
            old.unlink()
        stamp.touch()
    if not _running_in_project_venv():
        os.execv(str(_venv_python()), [str(_venv_python()), *argv])


def ensure_database_url() -> str:
    """Return DATABASE_URL, starting the embedded PostgreSQL 16 server when none is configured."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    EMBEDDED_PGDATA.mkdir(parents=True, exist_ok=True)
    runtime = ROOT / ".data" / "run"
    runtime.mkdir(mode=0o700, exist_ok=True)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime))
    import pgserver  # imported late: only the embedded path needs it

    server = pgserver.get_server(EMBEDDED_PGDATA, cleanup_mode=None)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{EMBEDDED_DATABASE}';")
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {EMBEDDED_DATABASE};")
    url = server.get_uri(EMBEDDED_DATABASE)
    os.environ["DATABASE_URL"] = url
    return url
