"""Restore drill: back up the platform, restore into a fresh database, verify; then lose and restore one
enterprise's schema. Runs in CI against real PostgreSQL."""

import json
import uuid

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command

from steward.backup import (
    backup_database,
    backup_enterprise,
    database_url,
    restore_database,
    restore_enterprise,
    verify_restored,
)


@pytest.fixture
def fresh_database():
    name = f"drill_{uuid.uuid4().hex[:10]}"
    admin_url = database_url({**settings.DATABASES["default"], "NAME": "postgres"})
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield database_url({**settings.DATABASES["default"], "NAME": name})
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=False)
def test_backup_restores_into_a_fresh_database_with_evidence_and_seals_intact(tmp_path, fresh_database):
    backup = backup_database(tmp_path / "backups")
    restored_evidence = tmp_path / "restored-evidence"
    restore_database(backup, fresh_database, restored_evidence)
    assert verify_restored(backup, fresh_database, restored_evidence) == []
    with psycopg.connect(fresh_database) as conn:
        names = {row[0] for row in conn.execute("SELECT slug FROM public.tenants_enterprise")}
        assert {"cx-power", "wx-cement", "aj-wood"} <= names
        runs = conn.execute("SELECT count(*) FROM ent_cx_power.carbon_calculationrun").fetchone()[0]
        assert runs > 0
        # The change history (who changed what) comes back too, and its row counts are part of the manifest.
        history = conn.execute("SELECT count(*) FROM ent_wx_cement.filing_monthlyfilinghistory").fetchone()[0]
        assert history > 0
        # The restored regulated tables are still append-only.
        with pytest.raises(psycopg.errors.RestrictViolation):
            conn.execute("UPDATE ent_cx_power.carbon_calculationrun SET total_tco2 = 0")


@pytest.mark.django_db(transaction=False)
def test_tampered_evidence_fails_verification(tmp_path, fresh_database):
    backup = backup_database(tmp_path / "backups")
    restored_evidence = tmp_path / "restored-evidence"
    restore_database(backup, fresh_database, restored_evidence)
    # A file the manifest lists: the evidence folder may also hold files of rows that earlier tests rolled back.
    sha = json.loads((backup / "manifest.json").read_text())["schemas"]["ent_wx_cement"]["evidence"][0]
    victim = restored_evidence / "ent_wx_cement" / "evidence" / sha[:2] / sha
    victim.chmod(0o640)
    victim.write_bytes(b"forged")
    problems = verify_restored(backup, fresh_database, restored_evidence)
    assert any("ent_wx_cement: evidence" in problem and "altered" in problem for problem in problems)


@pytest.mark.django_db(transaction=False)
def test_one_enterprise_is_restored_after_its_schema_is_lost(tmp_path, fresh_database):
    whole = backup_database(tmp_path / "whole")
    evidence = tmp_path / "evidence"
    restore_database(whole, fresh_database, evidence)
    single = backup_enterprise("ent_cx_power", tmp_path / "single")
    with psycopg.connect(fresh_database, autocommit=True) as conn:
        conn.execute("DROP SCHEMA ent_cx_power CASCADE")
    restore_enterprise(single, fresh_database, evidence)
    assert verify_restored(single, fresh_database, evidence) == []


@pytest.mark.django_db(transaction=False)
def test_restore_command_reports_verification(tmp_path, fresh_database, capsys):
    backup = backup_database(tmp_path / "backups")
    call_command(
        "restore", str(backup), "--database-url", fresh_database, "--evidence-root", str(tmp_path / "ev")
    )
    assert "restored and verified" in capsys.readouterr().out
