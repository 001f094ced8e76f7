"""Backups that can be restored and checked: the whole database, or one enterprise's schema, each with its
evidence files and a manifest of what a restore must reproduce (row counts, evidence hashes).

Uses pg_dump/pg_restore (custom format). `verify_restored` works on any database URL, so the restore drill
can check a freshly restored database before anyone trusts it.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tarfile
from pathlib import Path
from urllib.parse import quote

import psycopg
from django.conf import settings
from django.db import connection
from django.utils import timezone

REGULATED_TABLES = (
    "evidence_evidencefile",
    "evidence_evidenceintegritycheck",
    "carbon_activityrecord",
    "carbon_measuredparameter",
    "filing_filingevent",
    "filing_reviewcomment",
    "carbon_outputrecord",
    "carbon_calculationrun",
    "compliance_allocation",
    "compliance_valueaddedrecord",
    "reports_issueddocument",
    "annual_reportevent",
    "annual_reportsignature",
    "carbon_fuelstockrecord",
    "carbon_electricitybill",
    "quality_controlplanversion",
    "quality_parameterspec",
    "pollution_permit",
    "pollution_outlet",
    "pollution_concentrationlimit",
    "pollution_permittedamount",
    "pollution_sourceoutlet",
    "pollution_cemscertification",
    "pollution_monitoringimport",
    "pollution_monitoringreading",
    "pollution_manualmonitoring",
    "pollution_declaredfuel",
    "pollution_executionreportevent",
    "handoff_platformsubmission",
    # who changed what, when (django-pghistory, steward/history.py)
    "filing_monthlyfilinghistory",
    "filing_filingfindinghistory",
    "carbon_facilityhistory",
    "carbon_emissionsourcehistory",
    "carbon_meterhistory",
    "carbon_labreporthistory",
)


class BackupError(RuntimeError):
    pass


def pg_tool(name: str) -> str:
    """pg_dump/pg_restore of the newest PostgreSQL at hand (the embedded 16, else the system's)."""
    try:
        import pgserver

        candidate = Path(pgserver.__file__).parent / "pginstall" / "bin" / name
        if candidate.exists():
            return str(candidate)
    except ImportError:
        pass
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} not found: install the PostgreSQL client")
    return found


def database_url(settings_dict: dict | None = None) -> str:
    """A libpq URL for a Django database settings dict (the default database by default)."""
    db = settings_dict or connection.settings_dict
    host = db["HOST"] or db.get("OPTIONS", {}).get("host", "")
    credentials = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    if host.startswith("/"):
        return f"postgresql://{credentials}@/{db['NAME']}?host={quote(host)}"
    return f"postgresql://{credentials}@{host or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def _run(args: list[str]) -> None:
    result = subprocess.run(args, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed: {result.stderr.strip()[:2000]}")


def enterprise_schemas(url: str) -> list[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT w.schema_name FROM public.tenants_workspace w JOIN public.tenants_enterprise e"
            " ON e.workspace_id = w.id ORDER BY 1"
        ).fetchall()
    return [row[0] for row in rows]


def schema_manifest(url: str, schema: str, evidence_root: Path) -> dict:
    """Row counts of the regulated tables and the SHA-256 of every evidence file of one schema."""
    with psycopg.connect(url) as conn:
        counts = {
            table: conn.execute(f'SELECT count(*) FROM "{schema}"."{table}"').fetchone()[0]
            for table in REGULATED_TABLES
        }
        evidence = dict(conn.execute(f'SELECT sha256, tenant_schema FROM "{schema}".evidence_evidencefile'))
    return {"counts": counts, "evidence": sorted(evidence), "evidence_root": str(evidence_root)}


def _archive_evidence(target: Path, schemas: list[str]) -> None:
    root = Path(settings.EVIDENCE_ROOT)
    with tarfile.open(target, "w:gz") as archive:
        for schema in schemas:
            if (root / schema).exists():
                archive.add(root / schema, arcname=schema)


def backup_database(out_dir: Path) -> Path:
    """Dump the whole database and every enterprise's evidence into `out_dir`/<timestamp>/."""
    url = database_url()
    target = out_dir / timezone.now().strftime("steward-%Y%m%dT%H%M%S")
    target.mkdir(parents=True)
    _run([pg_tool("pg_dump"), "--format=custom", f"--file={target / 'database.dump'}", f"--dbname={url}"])
    schemas = enterprise_schemas(url)
    # "public": the register's feed files (EVIDENCE_ROOT/public/register-feeds, steward/register/importer.py)
    _archive_evidence(target / "evidence.tar.gz", [*schemas, "public"])
    manifest = {
        "kind": "database",
        "created_at": timezone.now().isoformat(),
        "schemas": {schema: schema_manifest(url, schema, Path(settings.EVIDENCE_ROOT)) for schema in schemas},
    }
    (target / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
    return target


def backup_enterprise(schema: str, out_dir: Path) -> Path:
    """Dump one enterprise's schema and evidence (its public rows stay in the database backups)."""
    url = database_url()
    target = out_dir / timezone.now().strftime(f"{schema}-%Y%m%dT%H%M%S")
    target.mkdir(parents=True)
    _run(
        [
            pg_tool("pg_dump"),
            "--format=custom",
            f"--schema={schema}",
            f"--file={target / 'schema.dump'}",
            f"--dbname={url}",
        ]
    )
    _archive_evidence(target / "evidence.tar.gz", [schema])
    manifest = {
        "kind": "enterprise",
        "schema": schema,
        "created_at": timezone.now().isoformat(),
        "schemas": {schema: schema_manifest(url, schema, Path(settings.EVIDENCE_ROOT))},
    }
    (target / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
    return target


def _restore_evidence(backup: Path, evidence_root: Path) -> None:
    evidence_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(backup / "evidence.tar.gz") as archive:
        archive.extractall(evidence_root, filter="data")


def restore_database(backup: Path, target_url: str, evidence_root: Path) -> None:
    """Restore a database backup into an empty database and its evidence under `evidence_root`."""
    _run(
        [
            pg_tool("pg_restore"),
            "--no-owner",
            "--exit-on-error",
            f"--dbname={target_url}",
            str(backup / "database.dump"),
        ]
    )
    _restore_evidence(backup, evidence_root)


def restore_enterprise(backup: Path, target_url: str, evidence_root: Path) -> None:
    """Restore one enterprise's schema (which must not exist any more) and its evidence."""
    _run(
        [
            pg_tool("pg_restore"),
            "--no-owner",
            "--exit-on-error",
            f"--dbname={target_url}",
            str(backup / "schema.dump"),
        ]
    )
    _restore_evidence(backup, evidence_root)


def _issued_documents(url: str, schema: str) -> list[str]:
    with psycopg.connect(url) as conn:
        return [
            row[0] for row in conn.execute(f'SELECT DISTINCT sha256 FROM "{schema}".reports_issueddocument')
        ]


def verify_restored(backup: Path, target_url: str, evidence_root: Path) -> list[str]:
    """Compare a restored database with the backup's manifest. Returns the problems found (none = good)."""
    manifest = json.loads((backup / "manifest.json").read_text())
    problems = []
    for schema, expected in manifest["schemas"].items():
        actual = schema_manifest(target_url, schema, evidence_root)
        if actual["counts"] != expected["counts"]:
            problems.append(f"{schema}: row counts {actual['counts']} != {expected['counts']}")
        if actual["evidence"] != expected["evidence"]:
            problems.append(f"{schema}: evidence rows differ")
        for sha in actual["evidence"]:
            path = evidence_root / schema / "evidence" / sha[:2] / sha
            if not path.exists() or hashlib.sha256(path.read_bytes()).hexdigest() != sha:
                problems.append(f"{schema}: evidence {sha[:12]} missing or altered")
        for sha in _issued_documents(target_url, schema):  # copies of record live beside the evidence
            path = evidence_root / schema / "reports" / sha[:2] / sha
            if not path.exists() or hashlib.sha256(path.read_bytes()).hexdigest() != sha:
                problems.append(f"{schema}: evidence (issued document) {sha[:12]} missing or altered")
        with psycopg.connect(target_url) as conn:
            triggers = {
                row[0]
                for row in conn.execute(
                    "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                    " JOIN pg_namespace n ON n.oid = c.relnamespace"
                    " WHERE n.nspname = %s AND t.tgname LIKE %s",
                    # "<table>_append_only" (steward/immutability.py) or pgtrigger's "pgtrigger_append_only_<hash>"
                    # on the history tables (steward/history.py)
                    [schema, "%append_only%"],
                )
            }
        if triggers != set(REGULATED_TABLES):
            problems.append(
                f"{schema}: append-only triggers missing on {sorted(set(REGULATED_TABLES) - triggers)}"
            )
    return problems
