"""Projecting one enterprise's tenant data into the public read model.

A projector is a function registered for a domain that reads the current schema (the enterprise's) and
returns, per period, the columns (or metrics) it owns. `refresh_enterprise` runs every projector and writes
the merged rows; it runs inside the transaction of each change of a projected record (steward/oversight/
subscribers.py hears the published events), by `rebuild_oversight`, and `compare_enterprise` is what
`check_oversight` reports. See docs/oversight.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from steward.oversight.models import Metric, MonthFact
from tenants.models import Enterprise

Period = tuple[int, int]  # (year, month); month 0 = the whole year


@dataclass
class Projection:
    """What the projectors found for one enterprise: MonthFact columns and Metric values per period."""

    facts: dict[Period, dict] = field(default_factory=dict)
    metrics: dict[tuple[str, str, int, int], tuple[Decimal | None, str]] = field(default_factory=dict)

    def set_facts(self, period: Period, **columns) -> None:
        self.facts.setdefault(period, {}).update(columns)

    def set_metric(
        self, *, domain: str, key: str, period: Period, value: Decimal | None = None, label: str = ""
    ) -> None:
        self.metrics[(domain, key, *period)] = (value, label)


Projector = Callable[[Enterprise, Projection], None]
PROJECTORS: dict[str, Projector] = {}
# domain → the kinds of record (event kinds) whose changes can alter what its projector finds. Declared only
# by projectors that set metrics of their own domain and no MonthFact columns, so a refresh for other kinds
# can keep their stored metrics as they are.
DEPENDS_ON: dict[str, frozenset[str]] = {}


def projector(domain: str, *, depends_on: tuple[str, ...] | None = None) -> Callable[[Projector], Projector]:
    """Register `function(enterprise, projection)`; it runs with the enterprise's schema selected.

    `depends_on`: for a projector that only sets metrics of `domain`, the event kinds that can change them;
    a refresh caused by other kinds only skips it. Without it the projector runs on every refresh."""

    def register(function: Projector) -> Projector:
        PROJECTORS[domain] = function
        if depends_on is not None:
            DEPENDS_ON[domain] = frozenset(depends_on)
        return function

    return register


def skipped_domains(kinds: frozenset[str] | None) -> frozenset[str]:
    """The metric-only projectors that none of `kinds` can affect (None: a full refresh skips nothing)."""
    if kinds is None:
        return frozenset()
    return frozenset(domain for domain, deps in DEPENDS_ON.items() if not deps & kinds)


def project(enterprise: Enterprise, *, skip: frozenset[str] = frozenset()) -> Projection:
    """Every registered projector but `skip` over the enterprise's schema (projector modules are imported
    first)."""
    from steward.oversight import projectors  # noqa: F401 - registers the built-in projectors

    projection = Projection()
    with schema_context(enterprise.schema_name):
        for domain, function in PROJECTORS.items():
            if domain not in skip:
                function(enterprise, projection)
    # Months without a filing carry no status; they are not part of the month read model.
    projection.facts = {period: cols for period, cols in projection.facts.items() if "status" in cols}
    return projection


def _fact_columns() -> list[str]:
    skip = {"id", "enterprise", "jurisdiction", "industry", "year", "month", "updated_at"}
    return [f.name for f in MonthFact._meta.concrete_fields if f.name not in skip]


def _stored(enterprise: Enterprise) -> Projection:
    stored = Projection()
    columns = _fact_columns()
    for fact in MonthFact.objects.filter(enterprise=enterprise):
        stored.facts[(fact.year, fact.month)] = {name: getattr(fact, name) for name in columns}
    for metric in Metric.objects.filter(enterprise=enterprise):
        stored.metrics[(metric.domain, metric.key, metric.year, metric.month)] = (metric.value, metric.label)
    return stored


def _complete(columns: dict) -> dict:
    """Columns a projector did not set take the model's defaults, so stored and fresh rows compare equal."""
    full = {}
    for name in _fact_columns():
        model_field = MonthFact._meta.get_field(name)
        full[name] = columns.get(name, model_field.get_default())
    return full


@transaction.atomic
def refresh_enterprise(enterprise: Enterprise, *, kinds: frozenset[str] | None = None) -> Projection:
    """Recompute the enterprise's rows from its schema and replace the stored ones.

    One refresh per enterprise at a time (concurrent filing changes would otherwise both insert a month);
    the rows are compared with the stored ones and written in bulk, so a change costs a handful of statements
    however many months the enterprise has (it was two or three per month: bench/api_load.py)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('oversight'), %s)", [enterprise.pk])
    from steward.oversight import projectors  # noqa: F401 - registers every projector (and DEPENDS_ON)

    skip = skipped_domains(kinds)
    projection = project(enterprise, skip=skip)
    common = {"jurisdiction_id": enterprise.jurisdiction_id, "industry_id": enterprise.industry_id}
    stored = {(fact.year, fact.month): fact for fact in MonthFact.objects.filter(enterprise=enterprise)}
    gone = [fact.pk for period, fact in stored.items() if period not in projection.facts]
    if gone:
        MonthFact.objects.filter(pk__in=gone).delete()
    created, changed, fields = [], [], [*common, *_fact_columns()]
    for (year, month), columns in projection.facts.items():
        values = {**common, **_complete(columns)}
        fact = stored.get((year, month))
        if fact is None:
            created.append(MonthFact(enterprise=enterprise, year=year, month=month, **values))
        elif any(getattr(fact, name) != value for name, value in values.items()):
            for name, value in {**values, "updated_at": timezone.now()}.items():
                setattr(fact, name, value)
            changed.append(fact)
    MonthFact.objects.bulk_create(created)
    if changed:
        MonthFact.objects.bulk_update(changed, [*fields, "updated_at"])
    Metric.objects.filter(enterprise=enterprise).exclude(domain__in=skip).delete()
    Metric.objects.bulk_create(
        Metric(
            enterprise=enterprise,
            **common,
            domain=domain,
            key=key,
            year=year,
            month=month,
            value=value,
            label=label,
        )
        for (domain, key, year, month), (value, label) in projection.metrics.items()
    )
    return projection


def compare_enterprise(enterprise: Enterprise) -> list[str]:
    """Differences between the stored read model and a fresh projection, named one per line."""
    fresh, stored = project(enterprise), _stored(enterprise)
    problems = []
    for period in sorted(set(fresh.facts) | set(stored.facts)):
        label = f"{enterprise.slug} {period[0]}-{period[1]:02d}"
        if period not in stored.facts:
            problems.append(f"{label}: missing from the read model")
        elif period not in fresh.facts:
            problems.append(f"{label}: in the read model but not in the workspace")
        else:
            want, have = _complete(fresh.facts[period]), stored.facts[period]
            for name in _fact_columns():
                if want[name] != have[name]:
                    problems.append(f"{label}: {name} is {have[name]!r}, workspace says {want[name]!r}")
    for key in sorted(set(fresh.metrics) | set(stored.metrics)):
        if fresh.metrics.get(key) != stored.metrics.get(key):
            problems.append(
                f"{enterprise.slug} metric {key}: {stored.metrics.get(key)!r}, workspace says "
                f"{fresh.metrics.get(key)!r}"
            )
    return problems


def refresh_schema(schema_name: str, *, kinds: frozenset[str] | None = None) -> Projection:
    """Refresh the rows of the enterprise whose workspace is `schema_name` (for changes of `kinds` of record;
    None: everything)."""
    enterprise = Enterprise.objects.select_related("workspace").get(workspace__schema_name=schema_name)
    return refresh_enterprise(enterprise, kinds=kinds)


def refresh_current_enterprise() -> Projection:
    """Refresh the rows of the enterprise whose schema is selected."""
    return refresh_schema(connection.schema_name)


def rebuild(enterprises=None) -> int:
    """Regenerate the read model from every workspace (or the given ones); returns how many were projected."""
    count = 0
    for enterprise in enterprises or Enterprise.objects.select_related("workspace").order_by("slug"):
        refresh_enterprise(enterprise)
        count += 1
    return count


def check(enterprises=None) -> list[str]:
    problems = []
    for enterprise in enterprises or Enterprise.objects.select_related("workspace").order_by("slug"):
        problems.extend(compare_enterprise(enterprise))
    return problems
