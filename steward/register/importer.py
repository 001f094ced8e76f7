"""Importing a bulk feed file (CSV or XLSX) into the register: dry run with row-level errors, then a set-wise load.

1. The bytes are checked before any parser sees them: size (REGISTER_FEED_MAX_BYTES), type from the bytes
   (`steward.intake.safety` for workbooks), CSV text as UTF-8 or GB18030 without control characters.
2. The rows go into a temporary staging table with PostgreSQL COPY (psycopg 3 `cursor.copy`): a CSV file is
   streamed to COPY as it is (no Python per row); an XLSX is read with the intake's reader and written row by row.
3. One statement types and checks every row set-wise: the credit code joined to the register, year and month
   within the batch's period, the carrier and its unit, the number, duplicates of the same enterprise, month and
   carrier. Numbers that are not plain decimals (thousands separators, full-width digits, …) are handed to the
   intake's `parse_decimal`, the one reading of numbers for every upload, and only those rows.
4. The dry run reports the errors in Chinese, each with its line; a file with errors loads nothing. The commit
   runs the same checks and loads the rows with one INSERT … SELECT, in the transaction that records the
   `FeedBatch` (source, period, SHA-256, stored file). The same file again is the same batch (idempotent).
"""

from __future__ import annotations

import csv
import hashlib
import logging
import re
import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from steward import events
from steward.evidence import storage
from steward.intake.numbers import MAX_INTEGER_DIGITS, NumberError, parse_decimal
from steward.intake.reader import open_workbook, sheet_rows
from steward.intake.safety import Refusal, check_workbook_bytes, clean_name
from steward.register.carriers import carrier_names, carriers, normalise_unit, units, units_of
from steward.register.models import FeedBatch
from tenants.credit_code import validate_credit_code

logger = logging.getLogger("steward.register")
Kind = FeedBatch.Kind
ENERGY_KINDS = (Kind.GRID_ELECTRICITY, Kind.GAS, Kind.OTHER_ENERGY)
DEFAULT_CARRIER = {Kind.GRID_ELECTRICITY: "electricity", Kind.GAS: "natural_gas"}
ERRORS_SHOWN = 200
FEED_FOLDER = "public/register-feeds"
STAGING = "register_feed_staging"
TYPED = "register_feed_typed"
CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")

# staging column → headers a feed may use (normalised: no spaces, full-width brackets as ASCII, lower case)
HEADERS = {
    "credit_code": ("统一社会信用代码", "信用代码", "credit_code"),
    "name": ("企业名称", "单位名称", "name"),
    "year": ("年份", "年", "year"),
    "month": ("月份", "月", "month"),
    "carrier": ("能源品种", "品种", "能源", "carrier"),
    "quantity": ("数量", "消费量", "用电量", "用气量", "quantity"),
    "unit": ("单位", "计量单位", "unit"),
    "output_value": ("工业总产值", "工业总产值(万元)", "总产值", "output_value"),
    "value_added": ("工业增加值", "工业增加值(万元)", "增加值", "value_added"),
}
HEADER_LABELS = {
    "credit_code": "统一社会信用代码",
    "year": "年份",
    "month": "月份",
    "carrier": "能源品种",
    "quantity": "数量",
    "unit": "单位",
    "output_value": "工业总产值（万元）",
    "value_added": "工业增加值（万元）",
}
REQUIRED = {
    "energy": ("credit_code", "year", "month", "quantity", "unit"),
    "output": ("credit_code", "year", "month", "output_value", "value_added"),
}


def normalise_header(text: object) -> str:
    value = "".join(str(text or "").split()).lower()
    return value.replace("（", "(").replace("）", ")").lstrip("\ufeff")


HEADER_INDEX = {normalise_header(h): key for key, names in HEADERS.items() for h in names}


@dataclass
class RowError:
    line: int
    column: str
    message: str


@dataclass
class FeedReport:
    kind: str
    year: int
    month: int | None
    name: str
    sha256: str
    rows_read: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)
    enterprises: int = 0
    existing: FeedBatch | None = None  # the same file was imported before
    seconds: dict[str, float] = field(default_factory=dict)  # per phase, for the log and the bench

    @property
    def ok(self) -> bool:
        return self.error_count == 0 and self.rows_read > 0


class FeedRefused(Exception):
    def __init__(self, report: FeedReport):
        super().__init__(f"{report.error_count} row errors")
        self.report = report


def family(kind: str) -> str:
    return "output" if kind == Kind.STATISTICS_OUTPUT else "energy"


# --- the bytes ------------------------------------------------------------------------------------------------


def check_feed_bytes(name: str, data: bytes) -> str:
    """ "csv" or "xlsx"; a Refusal for anything else, too large, empty or undecodable."""
    limit = settings.REGISTER_FEED_MAX_BYTES
    if not data:
        raise Refusal("empty", _("文件是空的。"))
    if len(data) > limit:
        raise Refusal(
            "too_large",
            _("文件过大：%(size)d 字节，上限为 %(limit)d 字节。") % {"size": len(data), "limit": limit},
        )
    lowered = clean_name(name).lower()
    if lowered.endswith(".xlsx"):
        check_workbook_bytes(name, data)
        return "xlsx"
    if not lowered.endswith(".csv"):
        raise Refusal("file_type", _("仅支持 CSV 或 XLSX 文件。"))
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF")):
        raise Refusal("not_csv", _("文件扩展名为 .csv，但内容不是文本；请上传 CSV 文本或 .xlsx 工作簿。"))
    return "csv"


def _csv_utf8(data: bytes) -> bytes:
    """The CSV as UTF-8 bytes without BOM; UTF-16 (with BOM) and GB18030 are re-encoded."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            raise Refusal("not_csv", _("CSV 文件无法读取：UTF-16 编码有误。")) from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            data = data.decode("gb18030").encode("utf-8")
        except UnicodeDecodeError:
            raise Refusal(
                "not_csv", _("CSV 文件无法读取：应为 UTF-8 或 GBK（GB18030）编码的文本。")
            ) from None
    if CONTROL_BYTES.search(data):
        raise Refusal("not_csv", _("CSV 文件含有控制字符，无法读取。"))
    return data


def _columns(header: list[object], kind: str) -> list[str]:
    """The staging column of each header cell; unknown headers go to ignored columns."""
    columns, seen = [], set()
    for position, cell in enumerate(header):
        key = HEADER_INDEX.get(normalise_header(cell))
        if key is None or key in seen:
            columns.append(f"ignored_{position}")
        else:
            columns.append(key)
            seen.add(key)
    required = list(REQUIRED[family(kind)])
    if family(kind) == "energy" and kind == Kind.OTHER_ENERGY:
        required.insert(3, "carrier")
    missing = [HEADER_LABELS[key] for key in required if key not in seen]
    if missing:
        raise Refusal("header_missing", _("表头缺少列：%s。") % "、".join(missing), row=1)
    return columns


# --- staging --------------------------------------------------------------------------------------------------


def _create_staging(cursor, columns: list[str]) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {STAGING}, {TYPED}")
    names = sorted(set(HEADERS) | set(columns))
    cursor.execute(
        f"CREATE TEMP TABLE {STAGING} (line bigint GENERATED BY DEFAULT AS IDENTITY (START 2), "
        + ", ".join(f"{name} text" for name in names)
        + ")"
    )


def _stage_csv(cursor, data: bytes, kind: str) -> None:
    data = _csv_utf8(data)
    end = data.find(b"\n")
    first = data[: end if end >= 0 else len(data)].decode("utf-8")
    header = next(csv.reader([first]), [])
    columns = _columns(header, kind)
    _create_staging(cursor, columns)
    body = data[end + 1 :] if end >= 0 else b""
    body = body.rstrip(b"\r\n \t") + b"\n"
    raw = cursor.cursor  # psycopg 3
    try:
        with raw.copy(f"COPY {STAGING} ({', '.join(columns)}) FROM STDIN (FORMAT csv)") as copy:
            view = memoryview(body)
            for start in range(0, len(view), 1 << 20):
                copy.write(view[start : start + (1 << 20)])
    except Exception as error:  # psycopg.errors.BadCopyFileFormat and friends: the shape of a line is wrong
        line = _copy_line(str(error))
        raise Refusal(
            "bad_line",
            _("第 %(line)s 行无法读取（列数不对或引号未闭合）。") % {"line": line + 1 if line else "?"},
            row=line + 1 if line else None,
        ) from None


def _copy_line(message: str) -> int | None:
    found = re.search(r"line (\d+)", message)
    return int(found.group(1)) if found else None


def _cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _stage_xlsx(cursor, data: bytes, kind: str) -> None:
    workbook = open_workbook(data)
    try:
        sheet = workbook.worksheets[0]
        rows = sheet_rows(sheet)
        columns = None
        for _number, cells in rows:
            if any(cell is not None for cell in cells):
                columns = _columns(list(cells), kind)
                break
        if columns is None:
            raise Refusal("header_missing", _("找不到表头行。"))
        _create_staging(cursor, columns)
        width = len(columns)
        with cursor.cursor.copy(f"COPY {STAGING} (line, {', '.join(columns)}) FROM STDIN") as copy:
            for number, cells in rows:
                if all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells):
                    continue
                values = [_cell_text(cell) for cell in cells[:width]]
                values += [None] * (width - len(values))
                copy.write_row([number, *values])
    finally:
        workbook.close()


# --- set-wise checks ------------------------------------------------------------------------------------------


def _values_table(rows: list[tuple], names: str) -> tuple[str, list]:
    placeholders = ", ".join("(" + ", ".join(["%s"] * len(rows[0])) + ")" for _row in rows)
    return f"(VALUES {placeholders}) AS {names}", [value for row in rows for value in row]


def _typed_values(rows: list[tuple], names: str, types: tuple[str, ...]) -> tuple[str, list]:
    row = "(" + ", ".join(f"%s::{kind}" for kind in types) + ")"
    return f"(VALUES {', '.join([row] * len(rows))}) AS {names}", [value for item in rows for value in item]


def _distinct(cursor, columns: str) -> list[tuple]:
    cursor.execute(f"SELECT DISTINCT {columns} FROM {STAGING}")
    return cursor.fetchall()


def _small_int(text: str | None, digits: int) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= digits else None


def _period_values(cursor, year: int, month: int | None) -> tuple[str, list]:
    """Each distinct (year, month) text of the file, read and checked once in Python (a file has a handful):
    its numbers, whether they are a valid month, whether it lies within the batch's period."""
    pairs = {(y or "", m or "") for y, m in _distinct(cursor, "year, month")} | {("", "")}
    rows = []
    for raw_year, raw_month in sorted(pairs):
        t_year = _small_int(raw_year, 4) if len(raw_year.strip()) == 4 else None
        t_month = _small_int(raw_month, 2)
        valid = t_year is not None and t_month is not None and 1 <= t_month <= 12
        inside = valid and t_year == year and (month is None or t_month == month)
        rows.append((raw_year, raw_month, t_year, t_month, valid, inside))
    return _typed_values(
        rows,
        "p(raw_year, raw_month, t_year, t_month, period_valid, period_inside)",
        ("text", "text", "int", "int", "boolean", "boolean"),
    )


def _carrier_values(cursor, kind: str) -> tuple[str, list, str, list]:
    """Each distinct carrier and unit text of the file mapped once in Python: the carrier, whether this feed
    may carry it, its canonical unit, and the factor of the file's unit into it."""
    names, known, default = carrier_names(), units(), DEFAULT_CARRIER.get(kind)
    raw_carriers = {value or "" for (value,) in _distinct(cursor, "carrier")} | {""}
    carrier_rows = []
    for raw in sorted(raw_carriers):
        code = names.get(raw.strip().lower()) if raw.strip() else default
        carrier = carriers().get(code or "")
        carrier_rows.append(
            (raw, code, carrier is not None and kind in carrier.feed_kinds, carrier.unit if carrier else None)
        )
    unit_rows = [
        (raw, code, known[(code, normalise_unit(raw))])
        for (raw,) in _distinct(cursor, "unit")
        if raw is not None
        for code in carriers()
        if (code, normalise_unit(raw)) in known
    ] or [("", None, None)]
    carrier_sql, carrier_params = _typed_values(
        carrier_rows, "c(raw, carrier, allowed, unit)", ("text", "text", "boolean", "text")
    )
    units_sql, units_params = _typed_values(unit_rows, "u(raw, carrier, factor)", ("text", "text", "numeric"))
    return carrier_sql, carrier_params, units_sql, units_params


def _number(column: str) -> str:
    """A plain decimal (digits, at most one point, within the stored digits) cast in SQL; anything else is
    NULL here and read by `parse_decimal` in `_reparse_numbers`. String functions, not a regex: this runs on
    every row of a 3.6 M row file."""
    value, point = f"s.{column}", f"strpos(s.{column}, '.')"
    return (
        f"CASE WHEN translate({value}, '0123456789.', '') = '' AND {value} NOT LIKE '%%.%%.%%' AND ("
        f"({point} = 0 AND length({value}) BETWEEN 1 AND {MAX_INTEGER_DIGITS}) OR "
        f"({point} BETWEEN 2 AND {MAX_INTEGER_DIGITS + 1} AND length({value}) - {point} <= 8)"
        f") THEN {value}::numeric END"
    )


def _type_rows(cursor, kind: str, year: int, month: int | None) -> None:
    """Build the typed table: each staged row with its register id, numbers and its first error (code).
    Energy quantities are stored already in the carrier's unit (× the unit's factor)."""
    period_sql, params = _period_values(cursor, year, month)
    code_error = "CASE WHEN nullif(btrim(raw_code), '') IS NULL THEN 'code_missing' ELSE 'code_unknown' END"
    if family(kind) == "energy":
        carrier_sql, carrier_params, units_sql, units_params = _carrier_values(cursor, kind)
        params += carrier_params + units_params
        select = f"""
            SELECT s.line, r.id AS registered_id, s.credit_code AS raw_code, s.quantity AS raw_quantity,
                   p.t_year, p.t_month, p.period_valid, p.period_inside, c.carrier, c.allowed, c.unit, u.factor,
                   {_number("quantity")} * u.factor AS quantity
            FROM {STAGING} s
            LEFT JOIN register_registeredenterprise r ON r.credit_code = upper(btrim(s.credit_code))
            LEFT JOIN {period_sql} ON p.raw_year = coalesce(s.year, '') AND p.raw_month = coalesce(s.month, '')
            LEFT JOIN {carrier_sql} ON c.raw = coalesce(s.carrier, '')
            LEFT JOIN {units_sql} ON u.raw = s.unit AND u.carrier = c.carrier
        """
        checks = f"""
            CASE
              WHEN registered_id IS NULL THEN {code_error}
              WHEN NOT period_valid THEN 'period_invalid'
              WHEN NOT period_inside THEN 'period_outside'
              WHEN carrier IS NULL THEN 'carrier_unknown'
              WHEN NOT allowed THEN 'carrier_kind'
              WHEN factor IS NULL THEN 'unit'
              WHEN quantity IS NULL THEN
                CASE WHEN nullif(btrim(raw_quantity), '') IS NULL THEN 'quantity_missing' ELSE 'quantity_parse' END
              WHEN factor > 1 AND quantity >= 1e{MAX_INTEGER_DIGITS} THEN 'quantity_range'
            END"""
        kept = "line, registered_id, t_year, t_month, carrier, unit, factor, quantity"
    else:
        select = f"""
            SELECT s.line, r.id AS registered_id, s.credit_code AS raw_code,
                   s.output_value AS raw_output, s.value_added AS raw_added,
                   p.t_year, p.t_month, p.period_valid, p.period_inside,
                   {_number("output_value")} AS output_value, {_number("value_added")} AS value_added
            FROM {STAGING} s
            LEFT JOIN register_registeredenterprise r ON r.credit_code = upper(btrim(s.credit_code))
            LEFT JOIN {period_sql} ON p.raw_year = coalesce(s.year, '') AND p.raw_month = coalesce(s.month, '')
        """
        checks = f"""
            CASE
              WHEN registered_id IS NULL THEN {code_error}
              WHEN NOT period_valid THEN 'period_invalid'
              WHEN NOT period_inside THEN 'period_outside'
              WHEN nullif(btrim(raw_output), '') IS NOT NULL AND output_value IS NULL THEN 'output_parse'
              WHEN nullif(btrim(raw_added), '') IS NOT NULL AND value_added IS NULL THEN 'added_parse'
              WHEN nullif(btrim(raw_output), '') IS NULL AND nullif(btrim(raw_added), '') IS NULL
                THEN 'output_missing'
            END"""
        kept = "line, registered_id, t_year, t_month, output_value, value_added"
    cursor.execute(
        f"""CREATE TEMP TABLE {TYPED} AS
            SELECT {kept}, {checks} AS error, NULL::bigint AS first_line
            FROM ({select}) typed""",
        params,
    )


def _mark_duplicates(cursor, kind: str) -> None:
    """Duplicates of an otherwise clean row: one hash aggregate, then only the duplicates are touched."""
    key = (
        "registered_id, t_year, t_month, carrier"
        if family(kind) == "energy"
        else "registered_id, t_year, t_month"
    )
    cursor.execute(
        f"""UPDATE {TYPED} t SET error = 'duplicate', first_line = d.first_line
            FROM (SELECT {key}, min(line) AS first_line FROM {TYPED} WHERE error IS NULL
                  GROUP BY {key} HAVING count(*) > 1) d
            WHERE t.error IS NULL AND t.line <> d.first_line
              AND {" AND ".join(f"t.{column} = d.{column}" for column in key.split(", "))}"""
    )


RAW = {
    "energy": "s.credit_code AS raw_code, s.year AS raw_year, s.month AS raw_month, s.carrier AS raw_carrier, "
    "s.unit AS raw_unit, s.quantity AS raw_quantity",
    "output": "s.credit_code AS raw_code, s.year AS raw_year, s.month AS raw_month, "
    "s.output_value AS raw_output, s.value_added AS raw_added",
}


def _reparse_numbers(cursor, kind: str) -> None:
    """Rows whose number is not a plain decimal: read by `parse_decimal`; fixed in place or left as errors."""
    pairs = (
        [("quantity", "raw_quantity", "quantity_parse")]
        if family(kind) == "energy"
        else [("output_value", "raw_output", "output_parse"), ("value_added", "raw_added", "added_parse")]
    )
    for column, raw, code in pairs:
        cursor.execute(
            f"SELECT t.line, {raw} FROM (SELECT line FROM {TYPED} WHERE error = %s) t "
            f"JOIN (SELECT line, {RAW[family(kind)]} FROM {STAGING} s) raw USING (line)",
            [code],
        )
        fixed = []
        for line, text in cursor.fetchall():
            try:
                value = parse_decimal(text)
            except NumberError:
                continue
            if value is not None:
                fixed.append((line, value))
        scaled = "v.value::numeric * t.factor" if family(kind) == "energy" else "v.value::numeric"
        for start in range(0, len(fixed), 1000):
            chunk = fixed[start : start + 1000]
            values_sql, values_params = _values_table(chunk, "v(line, value)")
            cursor.execute(
                f"UPDATE {TYPED} t SET {column} = {scaled}, error = NULL FROM {values_sql} "
                "WHERE t.line = v.line::bigint",
                values_params,
            )
        if family(kind) == "energy" and fixed:
            cursor.execute(
                f"UPDATE {TYPED} SET error = 'quantity_range' WHERE error IS NULL AND quantity >= %s",
                [Decimal(10) ** MAX_INTEGER_DIGITS],
            )


def _message(kind: str, code: str, row: dict, year: int, month: int | None) -> tuple[str, str]:
    period = f"{year}年" if month is None else f"{year}年{month}月"
    if code == "code_missing":
        return "统一社会信用代码", _("缺少统一社会信用代码")
    if code == "code_unknown":
        text = (row["raw_code"] or "").strip().upper()
        try:
            validate_credit_code(text)
        except ValidationError as error:
            return "统一社会信用代码", f"“{text[:30]}”：{error.messages[0]}"
        return "统一社会信用代码", _("统一社会信用代码“%s”不在企业名录中") % text
    if code == "period_invalid":
        return "年份/月份", _("年份或月份无效：“%(year)s”年“%(month)s”月") % {
            "year": (row["raw_year"] or "")[:10],
            "month": (row["raw_month"] or "")[:10],
        }
    if code == "period_outside":
        return "年份/月份", _("%(year)s年%(month)s月不在本批次期间（%(period)s）内") % {
            "year": row["t_year"],
            "month": row["t_month"],
            "period": period,
        }
    if code == "carrier_unknown":
        return "能源品种", _("未知的能源品种“%s”") % (row["raw_carrier"] or "")[:30]
    if code == "carrier_kind":
        carrier = carriers()[row["carrier"]]
        return "能源品种", _("%(carrier)s不属于“%(kind)s”") % {
            "carrier": carrier.name_zh,
            "kind": Kind(kind).label,
        }
    if code == "unit":
        carrier = carriers()[row["carrier"]]
        return "单位", _("单位“%(unit)s”不适用于%(carrier)s（可用：%(units)s）") % {
            "unit": (row["raw_unit"] or "")[:20],
            "carrier": carrier.name_zh,
            "units": "、".join(units_of(carrier.code)),
        }
    if code == "quantity_missing":
        return "数量", _("缺少数量")
    if code == "output_missing":
        return "工业总产值（万元）", _("缺少工业总产值和工业增加值")
    if code in {"quantity_parse", "output_parse", "added_parse"}:
        column, raw = {
            "quantity_parse": ("数量", "raw_quantity"),
            "output_parse": ("工业总产值（万元）", "raw_output"),
            "added_parse": ("工业增加值（万元）", "raw_added"),
        }[code]
        try:
            parse_decimal(row[raw])
        except NumberError as error:
            return column, error.message
        return column, _("数值无法读取")
    if code == "quantity_range":
        return "数量", _("数值过大（换算后整数部分最多%d位）") % MAX_INTEGER_DIGITS
    if code == "duplicate":
        return "统一社会信用代码", _("与第 %d 行重复（同一企业、月份和品种）") % row["first_line"]
    return "", code


def _report(cursor, report: FeedReport) -> None:
    cursor.execute(
        f"SELECT count(*), count(*) FILTER (WHERE error IS NOT NULL), "
        f"(SELECT count(*) FROM (SELECT DISTINCT registered_id FROM {TYPED} WHERE registered_id IS NOT NULL) d) FROM {TYPED}"
    )
    report.rows_read, report.error_count, report.enterprises = cursor.fetchone()
    cursor.execute(
        f"""SELECT t.*, raw.* FROM (SELECT * FROM {TYPED} WHERE error IS NOT NULL ORDER BY line LIMIT %s) t
            JOIN (SELECT line AS raw_line, {RAW[family(report.kind)]} FROM {STAGING} s) raw ON raw.raw_line = t.line
            ORDER BY t.line""",
        [ERRORS_SHOWN],
    )
    names = [column.name for column in cursor.description]
    for values in cursor.fetchall():
        row = dict(zip(names, values, strict=True))
        column, message = _message(report.kind, row["error"], row, report.year, report.month)
        report.errors.append(RowError(line=row["line"], column=column, message=message))


def _check(cursor, report: FeedReport, data: bytes, file_type: str) -> None:
    cursor.execute("SET LOCAL work_mem = '256MB'")
    clock = time.perf_counter()
    if file_type == "csv":
        _stage_csv(cursor, data, report.kind)
    else:
        _stage_xlsx(cursor, data, report.kind)
    clock = _lap(report, "copy", clock)
    _type_rows(cursor, report.kind, report.year, report.month)
    clock = _lap(report, "check", clock)
    _reparse_numbers(cursor, report.kind)
    _mark_duplicates(cursor, report.kind)
    _report(cursor, report)
    _lap(report, "report", clock)
    if report.rows_read == 0:
        report.error_count = 1
        report.errors.append(RowError(line=2, column="", message=_("文件没有数据行")))


def _lap(report: FeedReport, phase: str, since: float) -> float:
    now = time.perf_counter()
    report.seconds[phase] = round(now - since, 3)
    return now


def _validate_period(kind: str, year: int, month: int | None) -> None:
    if kind not in Kind.values:
        raise Refusal("kind", _("未知的数据来源。"))
    if not 2000 <= year <= 2100 or (month is not None and not 1 <= month <= 12):
        raise Refusal("period", _("批次期间无效。"))


def dry_run(*, name: str, data: bytes, kind: str, year: int, month: int | None = None) -> FeedReport:
    """Check the file as the commit would, load nothing. Refusal for a file that cannot be read at all."""
    _validate_period(kind, year, month)
    file_type = check_feed_bytes(name, data)
    sha256 = hashlib.sha256(data).hexdigest()
    report = FeedReport(kind=kind, year=year, month=month, name=clean_name(name), sha256=sha256)
    report.existing = FeedBatch.objects.filter(sha256=sha256).first()
    if report.existing:
        report.rows_read, report.enterprises = report.existing.rows_loaded, report.existing.enterprises
        return report
    with transaction.atomic(), connection.cursor() as cursor:
        _check(cursor, report, data, file_type)
        cursor.execute(f"DROP TABLE IF EXISTS {STAGING}, {TYPED}")
    return report


def import_feed(
    *, name: str, data: bytes, kind: str, year: int, month: int | None = None, source: str, by
) -> tuple[FeedBatch, bool]:
    """Load a clean file as one batch: (batch, created). The same bytes again return the first batch.
    FeedRefused (with the report) when any row has an error: nothing is loaded then."""
    started = time.perf_counter()
    _validate_period(kind, year, month)
    file_type = check_feed_bytes(name, data)
    sha256 = hashlib.sha256(data).hexdigest()
    existing = FeedBatch.objects.filter(sha256=sha256).first()
    if existing:
        return existing, False
    report = FeedReport(kind=kind, year=year, month=month, name=clean_name(name), sha256=sha256)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"register-feed:{sha256}"])
        existing = FeedBatch.objects.filter(sha256=sha256).first()
        if existing:
            return existing, False
        _check(cursor, report, data, file_type)
        if not report.ok:
            cursor.execute(f"DROP TABLE IF EXISTS {STAGING}, {TYPED}")
            raise FeedRefused(report)
        clock = time.perf_counter()
        key = f"{FEED_FOLDER}/{sha256[:2]}/{sha256}"
        storage.write_once(key, data)
        batch = FeedBatch.objects.create(
            kind=kind,
            source=source[:120],
            year=year,
            month=month,
            sha256=sha256,
            original_name=report.name,
            size_bytes=len(data),
            stored_path=key,
            rows_loaded=report.rows_read,
            enterprises=report.enterprises,
            imported_by=by,
        )
        if family(kind) == "energy":
            cursor.execute(
                f"""INSERT INTO register_energyrecord
                        (registered_id, year, month, carrier, quantity, unit, batch_id, sheet_row)
                    SELECT registered_id, t_year, t_month, carrier, quantity, unit, %s, line FROM {TYPED}""",
                [batch.pk],
            )
        else:
            cursor.execute(
                f"""INSERT INTO register_outputrecord
                        (registered_id, year, month, output_value, value_added, batch_id, sheet_row)
                    SELECT registered_id, t_year, t_month, output_value, value_added, %s, line FROM {TYPED}""",
                [batch.pk],
            )
        cursor.execute(f"DROP TABLE IF EXISTS {STAGING}, {TYPED}")
        _lap(report, "insert", clock)
        # Heard by steward.register.subscribers: the year's 碳效码 is recomputed after the commit.
        events.publish("register_feed.imported", batch, kind=kind, year=year, month=month)
        batch.seconds = Decimal(f"{time.perf_counter() - started:.3f}")
        batch.save(update_fields=["seconds"])
    logger.info(
        "register feed imported", extra={"batch": batch.pk, "rows": batch.rows_loaded, **report.seconds}
    )
    batch.report = report
    return batch, True


def read_stored(batch: FeedBatch) -> bytes:
    """The batch's file as it was imported (checked against its SHA-256)."""
    data = storage.read(batch.stored_path)
    if hashlib.sha256(data).hexdigest() != batch.sha256:
        raise ValueError(f"stored feed file of batch {batch.pk} does not match its SHA-256")
    return data
