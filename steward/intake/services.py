"""Importing a filled template: a dry run that saves nothing, then a confirmation that records the batch.

The dry run keeps the uploaded bytes in the workspace's staging folder (`staging`, keyed by SHA-256) so the
confirmation imports exactly the file that was checked; it checks the file again, because data may have
changed in between. Records are written only through `steward.carbon.services`, set-based, with
`record_activity_batch` (the same rows `record_activity` / `correct_activity` would write one by one): a first
figure as version 1, a differing figure as a new version with the reason "导入批次 #n". Importing the same
file twice returns the first batch.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction

from steward.carbon import services as carbon
from steward.carbon.selectors import methodology_for
from steward.evidence.services import store_evidence
from steward.intake import staging
from steward.intake.columns import DATA_SHEET
from steward.intake.models import ImportBatch, ImportedRecord
from steward.intake.reader import ParsedWorkbook, read_workbook
from steward.intake.safety import Refusal, check_workbook_bytes, clean_name
from steward.intake.template import months_label
from steward.intake.validation import Plan, Problem, check_rows

logger = logging.getLogger("steward.intake")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class DryRun:
    sha256: str
    name: str
    size: int
    parsed: ParsedWorkbook | None = None
    plan: Plan = field(default_factory=Plan)
    refusal: Refusal | None = None
    existing_batch: ImportBatch | None = None

    @property
    def problems(self) -> list[Problem]:
        if self.refusal:
            r = self.refusal
            return [Problem(r.sheet, r.row, r.column, "", r.code, r.message)]
        return self.plan.problems

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> dict[str, int]:
        return {
            "rows": len(self.plan.rows) + len({p.row for p in self.plan.problems if p.sheet == DATA_SHEET}),
            "create": self.plan.count("create"),
            "correct": self.plan.count("correct"),
            "unchanged": self.plan.count("unchanged"),
            "skipped": self.parsed.skipped_blank if self.parsed else 0,
        }


class ImportRejected(Exception):
    def __init__(self, report: DryRun):
        super().__init__(report.problems[0].message if report.problems else "")
        self.report = report


def _staging_path(sha256: str) -> Path:
    return staging.staging_path(sha256)


def discard_stale_staged_files(*, now: datetime.datetime | None = None) -> int:
    return staging.discard_stale(now=now)


def check_file(*, enterprise, name: str, data: bytes) -> DryRun:
    """Every check, nothing written to the database."""
    report = DryRun(sha256=hashlib.sha256(data).hexdigest(), name=clean_name(name), size=len(data))
    report.existing_batch = ImportBatch.objects.filter(sha256=report.sha256).first()
    try:
        check_workbook_bytes(name, data)
        report.parsed = read_workbook(data, enterprise=enterprise)
    except Refusal as refusal:
        report.refusal = refusal
        return report
    report.plan = check_rows(report.parsed, methodology=methodology_for(enterprise))
    return report


def dry_run(*, enterprise, name: str, data: bytes) -> DryRun:
    """Check an upload and, when it is clean, keep its bytes for the confirmation."""
    report = check_file(enterprise=enterprise, name=name, data=data)
    if report.ok and not report.existing_batch:
        staging.stage(data)
    return report


@transaction.atomic
def confirm(*, enterprise, sha256: str, name: str, by) -> ImportBatch:
    """Import the staged file checked by `dry_run`. Idempotent: the same file gives the same batch."""
    with connection.cursor() as cursor:  # one import of a given file at a time
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"intake:{sha256}"])
    existing = ImportBatch.objects.filter(sha256=sha256).first()
    if existing:
        return existing
    data = staging.load(sha256)
    if data is None:
        raise ImportRejected(
            DryRun(sha256, name, 0, refusal=Refusal("expired", "待导入文件已失效，请重新上传。"))
        )
    report = check_file(enterprise=enterprise, name=name, data=data)
    if not report.ok or report.sha256 != sha256:
        raise ImportRejected(report)
    batch = _record_batch(report, data, by)
    staging.discard(sha256)
    return batch


def _record_batch(report: DryRun, data: bytes, by) -> ImportBatch:
    evidence = store_evidence(
        upload=SimpleUploadedFile(report.name, data, content_type=XLSX),
        kind="production_record",
        description=f"活动数据导入 {report.parsed.year}年",
        uploaded_by=by,
        scope="carbon",
    )
    summary = report.summary()
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.create(
                sha256=report.sha256,
                original_name=report.name,
                size_bytes=report.size,
                template_version=report.parsed.meta["template_version"],
                year=report.parsed.year,
                months=months_label(report.parsed.months),
                evidence=evidence,
                imported_by=by,
                rows_read=summary["rows"],
                rows_created=summary["create"],
                rows_corrected=summary["correct"],
                rows_unchanged=summary["unchanged"],
                rows_skipped=summary["skipped"],
            )
    except IntegrityError:
        return ImportBatch.objects.get(sha256=report.sha256)
    planned_rows = [planned for planned in report.plan.rows if planned.action != "unchanged"]
    year = report.parsed.year
    results = carbon.record_activity_batch(
        entries=[
            carbon.ActivityEntry(
                source=planned.source,
                year=year,
                month=planned.month,
                quantity=planned.quantity,
                unit=planned.unit,
                data_source=planned.data_source,
                parameters=planned.parameters,
            )
            for planned in planned_rows
        ],
        expected={
            (planned.source.pk, year, planned.month): planned.current.version if planned.current else 0
            for planned in planned_rows
        },
        reason=batch.reason,
        by=by,
    )
    actions = {"create": ImportedRecord.Action.CREATED, "correct": ImportedRecord.Action.CORRECTED}
    ImportedRecord.objects.bulk_create(
        ImportedRecord(
            batch=batch, record=result.record, action=actions[result.action], sheet_row=planned.row
        )
        for planned, result in zip(planned_rows, results, strict=True)
        if result.action in actions
    )
    return batch
