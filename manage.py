#!/usr/bin/env python3
"""Command-line entry point.

`python3 manage.py demo` and `python3 manage.py test` work on a fresh machine: before Django is imported,
`steward.bootstrap` creates `.venv`, installs the project into it and re-runs this script there.
"""

import os
import sys


def main() -> None:
    from steward import bootstrap

    bootstrap.ensure_virtualenv(sys.argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steward.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
