"""What every page costs before its own work: tenant routing (the URL resolver) and the header's workspace
switcher (the grants of every workspace the person may open), against the upstream ways of doing both.

    DATABASE_URL=postgresql://…/steward_demo .venv/bin/python bench/page_overhead.py [--rounds 10] [--user …]

Needs a database with the demo loaded (`manage.py demo --no-serve`). Through Django's test client, as `user`
(default: greencarbon.reviewer, a steward with several clients), it requests a few pages of the public site
and of two workspaces, `rounds` times each, in three configurations:

  * upstream: django-tenants' TenantSubfolderMiddleware (a new URLconf module and cleared URL caches per
    request) and the grants read one enterprise at a time (four queries each);
  * kept resolvers (tenants/routing.py), grants one at a time;
  * kept resolvers and the grants in four queries for all (tenants.access._grants): what the product runs.

It prints Python CPU time per page (process time: the figure the changes affect, and steadier than wall time
on a shared machine), wall time per page and queries per round, best of three repetitions, and the ratios
against upstream.
"""

from __future__ import annotations

import argparse
import time

from _django import setup

setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from steward.demo.period import last_month  # noqa: E402
from tenants import access  # noqa: E402
from tenants.models import User  # noqa: E402

OURS = "tenants.routing.TenantSubfolderMiddleware"
UPSTREAM = "django_tenants.middleware.subfolder.TenantSubfolderMiddleware"


def pages() -> list[str]:
    year, month = last_month()
    return [
        "/home/",
        "/e/cx-power/",
        "/e/cx-power/carbon/",
        f"/e/wx-cement/filing/{year}/{max(1, month - 2)}/",
        "/e/wx-cement/evidence/",
    ]


def one_at_a_time(grants):
    def each(user, enterprises, day):
        return [grants(user, [enterprise], day)[0] for enterprise in enterprises]

    return each


def measure(
    label: str, middleware: list[str], grants, username: str, rounds: int
) -> tuple[float, float, int]:
    batched = access._grants
    access._grants = grants
    try:
        with override_settings(MIDDLEWARE=middleware, ALLOWED_HOSTS=["*"]):
            client = Client()
            client.force_login(User.objects.get(username=username))
            paths = pages()
            for path in paths:  # warm: the first request of a configuration builds what it keeps
                response = client.get(path)
                assert response.status_code == 200, (path, response.status_code)
            best_cpu = best_wall = float("inf")
            for _repeat in range(3):
                cpu, wall = time.process_time(), time.perf_counter()
                for _round in range(rounds):
                    for path in paths:
                        client.get(path)
                count = rounds * len(paths)
                best_cpu = min(best_cpu, (time.process_time() - cpu) / count * 1000)
                best_wall = min(best_wall, (time.perf_counter() - wall) / count * 1000)
            with CaptureQueriesContext(connection) as queries:
                for path in paths:
                    client.get(path)
    finally:
        access._grants = batched
    print(
        f"{label:<44} {best_cpu:7.1f} ms CPU/page {best_wall:7.1f} ms wall/page {len(queries):5d} queries/round"
    )
    return best_cpu, best_wall, len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--user", default="greencarbon.reviewer")
    options = parser.parse_args()
    ours = list(settings.MIDDLEWARE)
    upstream = [UPSTREAM if name == OURS else name for name in ours]
    print(f"{len(pages())} pages × {options.rounds} rounds as {options.user}: {', '.join(pages())}")
    base = measure(
        "upstream routing, grants one at a time",
        upstream,
        one_at_a_time(access._grants),
        options.user,
        options.rounds,
    )
    kept = measure(
        "kept resolvers, grants one at a time",
        ours,
        one_at_a_time(access._grants),
        options.user,
        options.rounds,
    )
    both = measure(
        "kept resolvers, grants in four queries", ours, access._grants, options.user, options.rounds
    )
    for label, figures in (("kept resolvers", kept), ("both (the product)", both)):
        print(
            f"{label}: CPU per page {figures[0] / base[0]:.0%} of upstream, wall {figures[1] / base[1]:.0%}, "
            f"queries {figures[2]} vs {base[2]}"
        )


if __name__ == "__main__":
    main()
