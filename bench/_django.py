"""Start Django for a benchmark script: the project's venv, the configured (or embedded) PostgreSQL."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup() -> None:
    from steward import bootstrap

    bootstrap.ensure_virtualenv([sys.executable, *sys.argv])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steward.settings")
    import django

    django.setup()
