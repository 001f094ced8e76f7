"""Frozen months and record chains: what keeps a submitted month and a figure's versions consistent.

A month whose current filing version is in review or locked is frozen: its activity records (and their
measured parameters), outputs, fuel stock, grid bills and calculation runs change only after an approved
reopen, which opens version n+1 of the filing in draft. Every writer of month records calls
`refuse_if_frozen` first; the database refuses the same inserts with a trigger (filing migration 0006), so a
writer that forgets, raw SQL or a bug cannot slip a figure under a seal.

Both sides take a transaction-scoped advisory lock on (schema, year, month): writers a shared one,
submit/approve an exclusive one (`hold_month`). A writer that started before the submission commits first
and is seen by the checks; one that starts after waits and then finds the month frozen.

`lock_chain` serialises writers of one record chain (one source's month, one output kind's month), so of two
concurrent corrections exactly one adds the next version and the other is told the figure changed.
"""

from __future__ import annotations

import zlib

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext as _

FROZEN_STATUSES = ("in_review", "locked")


class MonthFrozen(ValidationError):
    """The month's filing is in review or locked: its records change only through an approved reopen (409)."""

    http_status = 409


class RecordConflict(ValidationError):
    """Another writer changed the same figure first; the caller should reload and decide again (409)."""

    http_status = 409


def _month_key(year: int, month: int) -> int:
    # The trigger uses the same pair: hashtext(schema), year * 100 + month.
    return year * 100 + month


def frozen_statuses(periods) -> dict[tuple[int, int], str]:
    """(year, month) → status, for the given months whose current filing version freezes them."""
    periods = set(periods)
    filing = apps.get_model("filing", "MonthlyFiling")
    rows = filing.objects.filter(year__in={y for y, _m in periods}, month__in={m for _y, m in periods})
    latest = {}
    for year, month, status in rows.order_by("version").values_list("year", "month", "status"):
        latest[(year, month)] = status  # the highest version wins
    return {key: status for key, status in latest.items() if key in periods and status in FROZEN_STATUSES}


def frozen_status(year: int, month: int) -> str | None:
    """The current filing version's status when it freezes the month (in_review / locked), else None."""
    return frozen_statuses([(year, month)]).get((year, month))


def refuse_if_frozen(year: int, month: int) -> None:
    """Refuse a write to a frozen month (code `month_frozen`); call inside the writer's transaction."""
    refuse_if_any_frozen([(year, month)])


def refuse_if_any_frozen(periods) -> None:
    """`refuse_if_frozen` for many months in two statements: the shared month locks first (so the answer
    holds until the writer commits), then the statuses (read after the locks, in a new snapshot)."""
    keys = sorted({_month_key(year, month) for year, month in periods})
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock_shared(hashtext(%s), k) FROM unnest(%s::int[]) AS k",
            [connection.schema_name, keys],
        )
    frozen = frozen_statuses(periods)
    if not frozen:
        return
    (year, month), status = min(frozen.items())
    if status == "in_review":
        message = _("%(year)s年%(month)s月的存证正在审核中，数据不可修改；如需更正，请审核人退回后再修改。")
    else:
        message = _("%(year)s年%(month)s月的存证已锁定，数据不可修改；如需更正，请申请重开并经审核人批准。")
    raise MonthFrozen(message, code="month_frozen", params={"year": year, "month": month})


def hold_month(year: int, month: int) -> None:
    """Wait for the month's writers in flight and keep new ones out until this transaction ends
    (submit and approve call it before reading the month)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtext(%s), %s)",
            [connection.schema_name, _month_key(year, month)],
        )


def _chain_key(kind: str, identity: tuple) -> int:
    return zlib.crc32(f"{connection.schema_name}:{kind}:{':'.join(map(str, identity))}".encode())


def lock_chain(kind: str, *identity) -> None:
    """Serialise the writers of one record chain until this transaction ends (call before reading its
    current version: a read after the lock sees the versions committed by the writer before)."""
    lock_chains(kind, [identity])


def lock_chains(kind: str, identities) -> None:
    """`lock_chain` for many chains in one statement, always in the same order (so two batches cannot
    deadlock)."""
    keys = sorted({_chain_key(kind, tuple(identity)) for identity in identities})
    if not keys:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(k) FROM unnest(%s::bigint[]) AS k", [keys])


# --- The database's wall (used by filing migration 0006; created in every enterprise schema) -------------
# Tables are named through TG_TABLE_SCHEMA, never the session's search_path, so a statement that reaches a
# schema explicitly is checked against that schema's filings.
REFUSE_FROZEN_FUNCTION = """
CREATE OR REPLACE FUNCTION steward_refuse_frozen_month() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    y integer;
    m integer;
    state text;
BEGIN
    IF TG_TABLE_NAME = 'carbon_measuredparameter' THEN
        EXECUTE format('SELECT year, month FROM %I.carbon_activityrecord WHERE id = $1', TG_TABLE_SCHEMA)
            INTO y, m USING NEW.record_id;
    ELSIF TG_TABLE_NAME = 'carbon_labreport' THEN
        -- a lab report cited by a frozen month keeps its file and numbers (they are sealed)
        EXECUTE format(
            'SELECT r.year, r.month FROM %1$I.carbon_measuredparameter p'
            ' JOIN %1$I.carbon_activityrecord r ON r.id = p.record_id'
            ' JOIN LATERAL (SELECT f.status FROM %1$I.filing_monthlyfiling f'
            '     WHERE f.year = r.year AND f.month = r.month ORDER BY f.version DESC LIMIT 1) s ON true'
            ' WHERE p.lab_report_id = $1 AND s.status IN (''in_review'', ''locked'') LIMIT 1',
            TG_TABLE_SCHEMA) INTO y, m USING OLD.id;
    ELSE
        y := NEW.year;
        m := NEW.month;
    END IF;
    IF y IS NULL THEN
        RETURN NEW;
    END IF;
    PERFORM pg_advisory_xact_lock_shared(hashtext(TG_TABLE_SCHEMA), y * 100 + m);
    EXECUTE format(
        'SELECT status FROM %I.filing_monthlyfiling WHERE year = $1 AND month = $2 ORDER BY version DESC LIMIT 1',
        TG_TABLE_SCHEMA) INTO state USING y, m;
    IF state IN ('in_review', 'locked') THEN
        RAISE EXCEPTION 'month_frozen: %.% % refused, the filing of %-% is % (reopen it first)',
            TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP, y, m, state
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
"""

FROZEN_INSERT_TABLES = (
    "carbon_activityrecord",
    "carbon_measuredparameter",
    "carbon_outputrecord",
    "carbon_fuelstockrecord",
    "carbon_electricitybill",
    "carbon_calculationrun",
)


def frozen_month_triggers():
    """A migration operation: inserts into a frozen month's tables, and changes to a lab report a frozen
    month cites, are refused by the database (UPDATE/DELETE of the records is refused already: append-only)."""
    from django.db import migrations

    create = [REFUSE_FROZEN_FUNCTION] + [
        f"CREATE TRIGGER {table}_frozen_month BEFORE INSERT ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION steward_refuse_frozen_month();"
        for table in FROZEN_INSERT_TABLES
    ]
    create.append(
        "CREATE TRIGGER carbon_labreport_frozen_month BEFORE UPDATE ON carbon_labreport "
        "FOR EACH ROW EXECUTE FUNCTION steward_refuse_frozen_month();"
    )
    drop = [
        f"DROP TRIGGER IF EXISTS {table}_frozen_month ON {table};"
        for table in (*FROZEN_INSERT_TABLES, "carbon_labreport")
    ] + ["DROP FUNCTION IF EXISTS steward_refuse_frozen_month();"]
    return migrations.RunSQL(sql=create, reverse_sql=drop)
