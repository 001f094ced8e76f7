"""Import of automatic monitoring (CEMS) data per outlet from CSV or XLSX, as a dry run and then a confirm.

Layout (one row per hour or day): 监测时间 | 流量(m3/h) | 含氧量(%) | SO2(mg/m3) | NOx(mg/m3) | … | 运行状态.
Every column that carries a quantity names its unit in the header and the unit must be the one the outlet's
medium uses. Problems are reported by sheet, row and column in Chinese; nothing is written until the dry run is
clean. A file is identified by its SHA-256: importing the same file again changes nothing.

This is the second importer of `steward.intake`: the same byte checks before any parser runs (size, type read
from the bytes, ZIP entry count and streamed uncompressed size, macros; a CSV in UTF-8 or GBK), the same
workbook reader (a damaged part is a refusal naming sheet and row), the same `parse_decimal`, the same staging
folder in the workspace between the dry run and the confirmation, and the same batch record (`UploadBatch`).
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steward import events
from steward.evidence import sniff
from steward.evidence.services import store_evidence
from steward.intake import staging
from steward.intake.numbers import NumberError, parse_decimal
from steward.intake.reader import open_workbook, sheet_rows
from steward.intake.safety import Refusal, check_table_bytes, clean_name
from steward.pollution.models import MonitoringImport, MonitoringReading, OperatingStatus, Outlet
from steward.pollution.pollutants import CONCENTRATION_UNIT, FLOW_UNIT, MEDIUM_OF

STATUS_WORDS = {
    "运行": OperatingStatus.RUNNING,
    "正常": OperatingStatus.RUNNING,
    "停运": OperatingStatus.STOPPED,
    "维护": OperatingStatus.MAINTENANCE,
    "故障": OperatingStatus.FAULT,
}
HEADER = re.compile(r"^\s*(?P<name>[^()（）]+?)\s*(?:[(（](?P<unit>[^)）]*)[)）])?\s*$")
MAX_ROWS = 40000
FIRST_YEAR, LAST_YEAR = 2000, 2100  # a monitoring time outside these years is a typing error
CONTENT_TYPES = {"xlsx": sniff.XLSX, "csv": sniff.CSV}


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None
    column: str
    message: str
    code: str = ""

    def __str__(self) -> str:
        where = " ".join(
            part for part in (self.sheet, f"第{self.row}行" if self.row else "", self.column) if part
        )
        return f"{where}：{self.message}" if where else self.message


@dataclass
class Preview:
    outlet_code: str
    interval: str
    file_name: str
    sha256: str
    size: int = 0
    readings: list[MonitoringReading] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    already_imported: MonitoringImport | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def periods(self) -> int:
        return len({reading.starts_at for reading in self.readings})


def _rows(data: bytes, kind: str) -> tuple[str, list[list]]:
    """The first sheet (or the CSV) as rows of cells, at most MAX_ROWS + 1 of them; Refusal if unreadable."""
    if kind == "xlsx":
        workbook = open_workbook(data)
        try:
            if not workbook.worksheets:
                raise Refusal("empty", "工作簿中没有工作表。")
            sheet = workbook.worksheets[0]
            rows = []
            for _number, cells in sheet_rows(sheet):
                rows.append(list(cells))
                if len(rows) > MAX_ROWS:
                    break
            return sheet.title, rows
        finally:
            workbook.close()
    text = sniff.decode_text(data)  # checked by check_table_bytes: UTF-8 (BOM), UTF-16 (BOM) or GB18030
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = []
    try:
        for row in reader:
            rows.append(row)
            if len(rows) > MAX_ROWS:
                break
    except csv.Error as error:
        raise Refusal(
            "unreadable_row",
            f"CSV 第 {reader.line_num} 行无法读取：{error}",
            sheet="CSV",
            row=reader.line_num,
        ) from None
    return "CSV", rows


def _moment(value, interval: str) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, datetime.date):
        moment = datetime.datetime.combine(value, datetime.time())
    else:
        text = str(value or "").strip().replace("/", "-")
        for pattern in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
            try:
                moment = datetime.datetime.strptime(text, pattern)
                break
            except ValueError:
                continue
        else:
            raise ValueError(_("无法识别的时间：%(v)s（应为 2026-10-01 08:00）") % {"v": value})
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise ValueError(
            _("监测时间超出范围（%(a)s–%(b)s 年）：%(v)s") % {"a": FIRST_YEAR, "b": LAST_YEAR, "v": value}
        )
    if moment.minute or moment.second or moment.microsecond or (interval == "day" and moment.hour):
        raise ValueError(_("时间须为整点（日数据为 0 点）：%(v)s") % {"v": value})
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _columns(header: list, outlet: Outlet, sheet: str) -> tuple[dict, list[Problem]]:
    """Map the header to roles: time, flow, oxygen, status and one column per pollutant, checking units."""
    columns, problems = {}, []
    concentration_unit, flow_unit = CONCENTRATION_UNIT[outlet.medium], FLOW_UNIT[outlet.medium]
    for index, cell in enumerate(header):
        match = HEADER.match(str(cell or ""))
        if not match:
            continue
        name, unit = match["name"].strip(), (match["unit"] or "").strip()
        letter = _column_letter(index)
        if name in {"监测时间", "时间"}:
            columns["time"] = index
        elif name == "运行状态":
            columns["status"] = index
        elif name in {"流量", "废气流量", "废水流量"}:
            columns["flow"] = index
            if unit != flow_unit:
                problems.append(
                    Problem(
                        sheet, 1, letter, _("流量单位应为 %(u)s，收到“%(v)s”") % {"u": flow_unit, "v": unit}
                    )
                )
        elif name in {"含氧量", "氧含量"}:
            columns["oxygen"] = index
            if unit != "%":
                problems.append(Problem(sheet, 1, letter, _("含氧量单位应为 %%，收到“%(v)s”") % {"v": unit}))
        elif name in MEDIUM_OF:
            if MEDIUM_OF[name] != outlet.medium:
                problems.append(Problem(sheet, 1, letter, _("%(p)s 不属于该排放口的监测因子") % {"p": name}))
            elif unit != concentration_unit:
                problems.append(
                    Problem(
                        sheet,
                        1,
                        letter,
                        _("浓度单位应为 %(u)s，收到“%(v)s”") % {"u": concentration_unit, "v": unit},
                    )
                )
            else:
                columns.setdefault("pollutants", {})[name] = index
        else:
            problems.append(Problem(sheet, 1, letter, _("无法识别的列“%(v)s”") % {"v": cell}))
    for role, label in (("time", "监测时间"), ("flow", "流量"), ("status", "运行状态")):
        if role not in columns:
            problems.append(Problem(sheet, 1, label, _("缺少必需的列“%(v)s”") % {"v": label}))
    if not columns.get("pollutants"):
        problems.append(Problem(sheet, 1, "—", _("没有任何污染物浓度列")))
    return columns, problems


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _parse_row(row: list, number: int, columns: dict, outlet_code: str, interval: str, sheet: str):
    problems, readings = [], []

    def cell(role):
        index = columns[role]
        return row[index] if index < len(row) else None

    try:
        starts_at = _moment(cell("time"), interval)
    except ValueError as error:
        return [], [Problem(sheet, number, _column_letter(columns["time"]), str(error))]
    status = STATUS_WORDS.get(str(cell("status") or "").strip())
    if status is None:
        problems.append(
            Problem(
                sheet, number, _column_letter(columns["status"]), _("运行状态应为 运行、停运、维护 或 故障")
            )
        )
    values = {}
    for role in ("flow", "oxygen"):
        if role in columns:
            try:
                values[role] = parse_decimal(cell(role))
            except NumberError as error:
                problems.append(
                    Problem(sheet, number, _column_letter(columns[role]), error.message, error.code)
                )
    for pollutant, index in columns["pollutants"].items():
        try:
            concentration = parse_decimal(row[index] if index < len(row) else None)
        except NumberError as error:
            problems.append(Problem(sheet, number, _column_letter(index), error.message, error.code))
            continue
        readings.append(
            MonitoringReading(
                outlet_code=outlet_code,
                pollutant=pollutant,
                starts_at=starts_at,
                hours=1 if interval == "hour" else 24,
                concentration=concentration,
                flow=values.get("flow"),
                oxygen_pct=values.get("oxygen"),
                status=status or OperatingStatus.FAULT,
            )
        )
    return ([] if problems else readings), problems


def dry_run(*, data: bytes, file_name: str, outlet: Outlet, interval: str, keep: bool = False) -> Preview:
    """Check a file's bytes, then parse and check its rows, writing nothing to the database. With `keep`,
    a clean file waits in the workspace's staging folder for `confirm_staged`."""
    if interval not in MonitoringImport.Interval.values:
        raise ValidationError(_("数据类型应为小时数据或日数据。"), code="interval")
    if outlet.medium == "water" and interval == "hour":
        raise ValidationError(_("废水自动监测按日数据导入。"), code="interval")
    digest = hashlib.sha256(data).hexdigest()
    preview = Preview(outlet.code, interval, clean_name(file_name), digest, len(data))
    preview.already_imported = MonitoringImport.objects.filter(sha256=digest).first()
    if preview.already_imported:
        return preview
    try:
        kind = check_table_bytes(file_name, data)
        sheet, rows = _rows(data, kind)
    except Refusal as refusal:
        preview.problems.append(
            Problem(refusal.sheet, refusal.row, refusal.column, refusal.message, refusal.code)
        )
        return preview
    _check_rows(preview, rows, sheet, outlet, interval)
    if keep and preview.ok:
        staging.stage(data)
    return preview


def _check_rows(preview: Preview, rows: list[list], sheet: str, outlet: Outlet, interval: str) -> None:
    if len(rows) < 2:
        preview.problems.append(Problem(sheet, 1, "—", _("文件没有数据行"), "no_rows"))
        return
    if len(rows) > MAX_ROWS:
        message = _("行数超过上限 %(n)s") % {"n": MAX_ROWS}
        preview.problems.append(Problem(sheet, MAX_ROWS + 1, "—", message, "too_many_rows"))
        return
    columns, preview.problems = _columns(rows[0], outlet, sheet)
    if preview.problems:
        return
    seen: dict[datetime.datetime, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(value not in (None, "") for value in row):
            continue
        readings, problems = _parse_row(row, number, columns, outlet.code, interval, sheet)
        preview.problems.extend(problems)
        if readings:
            moment = readings[0].starts_at
            if moment in seen:
                time_column = _column_letter(columns["time"])
                message = _("与第%(n)s行时间重复") % {"n": seen[moment]}
                preview.problems.append(Problem(sheet, number, time_column, message, "duplicate_row"))
                continue
            seen[moment] = number
            preview.readings.extend(readings)
    _check_overlap(preview, sheet, seen)


def _check_overlap(preview: Preview, sheet: str, rows_by_time: dict) -> None:
    if not rows_by_time:
        return
    existing = MonitoringReading.objects.filter(
        outlet_code=preview.outlet_code, starts_at__in=list(rows_by_time)
    ).values_list("starts_at", "batch__original_name")
    for moment, file_name in sorted(set(existing))[:50]:
        message = _("该时段数据已由文件“%(f)s”导入") % {"f": file_name}
        preview.problems.append(Problem(sheet, rows_by_time[moment], "A", message, "already_imported"))


@transaction.atomic
def confirm(
    *, data: bytes, file_name: str, outlet: Outlet, interval: str, by
) -> tuple[MonitoringImport, bool]:
    """Write a clean file as one batch (with the raw file kept as evidence). Returns (batch, created)."""
    digest = hashlib.sha256(data).hexdigest()
    with connection.cursor() as cursor:  # one import of a given file at a time
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"cems:{digest}"])
    preview = dry_run(data=data, file_name=file_name, outlet=outlet, interval=interval)
    if preview.already_imported:
        return preview.already_imported, False
    if not preview.ok:
        raise ValidationError([str(problem) for problem in preview.problems[:50]], code="invalid_file")
    kind = "xlsx" if preview.file_name.lower().endswith(".xlsx") else "csv"
    evidence = store_evidence(
        upload=SimpleUploadedFile(preview.file_name, data, content_type=CONTENT_TYPES[kind]),
        kind="monitoring_report",
        description=f"{outlet.code} 自动监测数据",
        uploaded_by=by,
        scope="environmental",
    )
    batch = MonitoringImport.objects.create(
        outlet_code=outlet.code,
        interval=interval,
        original_name=preview.file_name[:255],
        sha256=preview.sha256,
        size_bytes=preview.size,
        row_count=preview.periods,
        evidence=evidence,
        imported_by=by,
    )
    for reading in preview.readings:
        reading.batch = batch
    MonitoringReading.objects.bulk_create(preview.readings, batch_size=2000)
    events.publish("pollution.monitoring_imported", batch)  # exceedances and permitted-amount use
    return batch, True


def confirm_staged(
    *, sha256: str, file_name: str, outlet: Outlet, interval: str, by
) -> tuple[MonitoringImport, bool]:
    """Import the file `dry_run(keep=True)` checked and staged (checked again here); then drop it from
    staging. A file no longer staged (never checked, or discarded after two days) is asked for again."""
    data = staging.load(sha256)
    if data is None:
        raise ValidationError(_("待导入文件已失效，请重新上传。"), code="expired")
    batch, created = confirm(data=data, file_name=file_name, outlet=outlet, interval=interval, by=by)
    staging.discard(sha256)
    return batch, created
