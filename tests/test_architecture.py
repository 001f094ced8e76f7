"""The layering holds (import-linter, contracts in pyproject.toml's [tool.importlinter]): pages, API and tasks
call workflows/; workflows/ call the domain; domain packages never import workflows, pages or the API;
tenants/ never imports the domain; the filing, annual report and pollution services publish events instead
of calling the read model or webhooks. Part of the one test command, like the ruff checks."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection


def test_import_contracts_are_kept():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.django_db
def test_no_schema_keeps_viewflow_process_or_task_tables():
    """The flows run on viewflow's FSM over our own records; its process/task tables were dropped (filing.0006)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relkind = 'r' AND c.relname LIKE 'viewflow%%'"
        )
        assert cursor.fetchall() == []
        cursor.execute("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'ent\\_%%'")
        assert cursor.fetchone()[0] > 0  # the enterprise schemas exist, so the first answer means something
