"""`python3 manage.py test`: the whole suite (pytest) against real PostgreSQL, plus the real-browser tests.

Replaces Django's test runner. The embedded PostgreSQL is already running (settings started it unless
DATABASE_URL is set) and its URL is in the environment that pytest inherits. Chromium comes from Debian's
package; it is installed here when missing and we may (root with apt-get), as CI does.

The whole suite (no arguments) runs in one pytest-xdist worker per core, at most four: each worker builds its
own test world in its own database (`test_<name>_gw0`, `_gw1`, …) and takes whole test files (`--dist
loadfile`), so a module's shared fixture (the access matrix's sweep, a browser test's compiled year) is built
once. One process keeps a core only part busy (it waits on PostgreSQL and the browser); two keep both busy.
With arguments (`test -k matrix`, a path) pytest runs as asked, in one process;
`STEWARD_TEST_WORKERS=1` runs the whole suite in one process too.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand

CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser")


def default_workers() -> int:
    configured = os.environ.get("STEWARD_TEST_WORKERS")
    if configured:
        return max(1, int(configured))
    return max(1, min(4, len(os.sched_getaffinity(0))))


def ensure_chromium(stdout) -> str | None:
    for path in CHROMIUM_PATHS:
        if os.path.exists(path):
            return path
    if os.geteuid() == 0 and shutil.which("apt-get"):
        stdout.write("[steward] installing Debian's chromium for the browser tests")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env, stdout=subprocess.DEVNULL)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "chromium", "fonts-wqy-zenhei"],
            check=False,
            env=env,
            stdout=subprocess.DEVNULL,
        )
    return next((path for path in CHROMIUM_PATHS if os.path.exists(path)), None)


class Command(BaseCommand):
    help = "Run the whole test suite (pytest). Extra arguments go to pytest, e.g. `test -k matrix`."

    def add_arguments(self, parser):
        parser.add_argument("pytest_args", nargs=argparse.REMAINDER)

    def run_from_argv(self, argv):
        # Every argument goes to pytest as given (`-k matrix`, `-x`, paths): Django's parser would refuse
        # options it does not know.
        self.execute(pytest_args=argv[2:], force_color=False, no_color=False, skip_checks=True)

    def handle(self, *args, **options):
        chromium = ensure_chromium(self.stdout)
        env = dict(os.environ)
        if chromium:
            env["STEWARD_CHROMIUM"] = chromium
        arguments = list(options["pytest_args"])
        workers = default_workers()
        if not arguments and workers > 1:
            arguments = ["-n", str(workers), "--dist", "loadfile"]
        result = subprocess.run([sys.executable, "-m", "pytest", *arguments], cwd=settings.BASE_DIR, env=env)
        sys.exit(result.returncode)
