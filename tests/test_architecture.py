"""The layering holds (import-linter, contracts in pyproject.toml's [tool.importlinter]): pages, API and tasks
call workflows/; workflows/ call the domain; domain packages never import workflows, pages or the API;
tenants/ never imports the domain; the filing, annual report and pollution services publish events instead
of calling the read model or webhooks. Part of the one test command, like the ruff checks."""

import subprocess
import sys
from pathlib import Path

from django.conf import settings


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
