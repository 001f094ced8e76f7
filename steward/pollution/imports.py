"""Import of automatic monitoring (CEMS) data per outlet from CSV or XLSX, as a dry run and then a confirm.

Layout (one row per hour or day): 监测时间 | 流量(m3/h) | 含氧量(%) | SO2(mg/m3) | NOx(mg/m3) | … | 运行状态.
Every column that carries a quantity names its unit in the header and the unit must be the one the outlet's
medium uses. Problems are reported by sheet, row and column in Chinese; nothing is written until the dry run is
clean. A file is identified by its SHA-256: importing the same file again changes nothing.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steward import events
from steward.evidence.services import store_evidence
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
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.sheet} 第{self.row}行 {self.column}：{self.message}"


@dataclass
class Preview:
    outlet_code: str
    interval: str
    file_name: str
    sha256: str
    readings: list[MonitoringReading] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    already_imported: MonitoringImport | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def periods(self) -> int:
        return len({reading.starts_at for reading in self.readings})


def _rows(data: bytes, file_name: str) -> tuple[str, list[list]]:
    if file_name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        return sheet.title, [list(row) for row in sheet.iter_rows(values_only=True)]
    if file_name.lower().endswith(".csv"):
        text = data.decode("utf-8-sig") if not data.startswith(b"\xff\xfe") else data.decode("utf-16")
        return "CSV", [row for row in csv.reader(io.StringIO(text))]
    raise ValidationError(_("仅支持 CSV 或 XLSX 文件。"), code="file_type")


def parse_decimal(value) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float):
        value = repr(value)
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError(_("不是数字：%(v)s") % {"v": value}) from None
    if not number.is_finite():
        raise ValueError(_("不是数字：%(v)s") % {"v": value})
    if number < 0:
        raise ValueError(_("不能为负数：%(v)s") % {"v": value})
    return number


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
    if moment.minute or moment.second or (interval == "day" and moment.hour):
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
            except ValueError as error:
                problems.append(Problem(sheet, number, _column_letter(columns[role]), str(error)))
    for pollutant, index in columns["pollutants"].items():
        try:
            concentration = parse_decimal(row[index] if index < len(row) else None)
        except ValueError as error:
            problems.append(Problem(sheet, number, _column_letter(index), str(error)))
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


def dry_run(*, data: bytes, file_name: str, outlet: Outlet, interval: str) -> Preview:
    """Parse and check a file without writing anything."""
    if interval not in MonitoringImport.Interval.values:
        raise ValidationError(_("数据类型应为小时数据或日数据。"), code="interval")
    if outlet.medium == "water" and interval == "hour":
        raise ValidationError(_("废水自动监测按日数据导入。"), code="interval")
    digest = hashlib.sha256(data).hexdigest()
    preview = Preview(outlet.code, interval, file_name, digest)
    preview.already_imported = MonitoringImport.objects.filter(sha256=digest).first()
    if preview.already_imported:
        return preview
    sheet, rows = _rows(data, file_name)
    if len(rows) < 2:
        preview.problems.append(Problem(sheet, 1, "—", _("文件没有数据行")))
        return preview
    if len(rows) > MAX_ROWS:
        preview.problems.append(Problem(sheet, MAX_ROWS, "—", _("行数超过上限 %(n)s") % {"n": MAX_ROWS}))
        return preview
    columns, preview.problems = _columns(rows[0], outlet, sheet)
    if preview.problems:
        return preview
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
                preview.problems.append(Problem(sheet, number, time_column, message))
                continue
            seen[moment] = number
            preview.readings.extend(readings)
    _check_overlap(preview, sheet, seen)
    return preview


def _check_overlap(preview: Preview, sheet: str, rows_by_time: dict) -> None:
    if not rows_by_time:
        return
    existing = MonitoringReading.objects.filter(
        outlet_code=preview.outlet_code, starts_at__in=list(rows_by_time)
    ).values_list("starts_at", "batch__file_name")
    for moment, file_name in sorted(set(existing))[:50]:
        message = _("该时段数据已由文件“%(f)s”导入") % {"f": file_name}
        preview.problems.append(Problem(sheet, rows_by_time[moment], "A", message))


@transaction.atomic
def confirm(
    *, data: bytes, file_name: str, outlet: Outlet, interval: str, by
) -> tuple[MonitoringImport, bool]:
    """Write a clean file as one batch (with the raw file kept as evidence). Returns (batch, created)."""
    preview = dry_run(data=data, file_name=file_name, outlet=outlet, interval=interval)
    if preview.already_imported:
        return preview.already_imported, False
    if not preview.ok:
        raise ValidationError([str(problem) for problem in preview.problems[:50]], code="invalid_file")
    content_type = XLSX_TYPE if file_name.lower().endswith(".xlsx") else "text/csv"
    evidence = store_evidence(
        upload=SimpleUploadedFile(file_name, data, content_type=content_type),
        kind="monitoring_report",
        description=f"{outlet.code} 自动监测数据",
        uploaded_by=by,
        scope="environmental",
    )
    batch = MonitoringImport.objects.create(
        outlet_code=outlet.code,
        interval=interval,
        file_name=file_name[:255],
        sha256=preview.sha256,
        row_count=preview.periods,
        source_file=evidence,
        imported_by=by,
    )
    for reading in preview.readings:
        reading.batch = batch
    MonitoringReading.objects.bulk_create(preview.readings, batch_size=2000)
    events.publish("pollution.monitoring_imported", batch)  # exceedances and permitted-amount use
    return batch, True
