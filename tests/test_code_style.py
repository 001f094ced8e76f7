"""The tree stays linted and formatted (ruff), and models match their migrations: part of the one test command."""

import subprocess
import sys

from django.conf import settings
from django.core.management import call_command

PACKAGES = ["steward", "tenants", "workflows", "reports", "frontend", "tests", "bench", "manage.py"]


def ruff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args, *PACKAGES],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )


def test_ruff_lint_is_clean():
    result = ruff("check")
    assert result.returncode == 0, result.stdout


def test_ruff_format_is_clean():
    result = ruff("format", "--check")
    assert result.returncode == 0, result.stdout


def test_no_model_change_lacks_a_migration(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
