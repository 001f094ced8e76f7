"""Checks on an uploaded file's bytes before any parser sees them (ASVS 5.2.1–5.2.3), for every importer
(the activity-data template, the CEMS import).

The size is checked first. The type is read from the bytes (`steward.evidence.sniff`), and must agree with
the name: a PDF named .xlsx is refused as a PDF. An .xlsx is a ZIP: the entry count and the uncompressed
size are measured by streaming every entry with a cap (declared sizes are not trusted), so a zip bomb is
refused before openpyxl loads it. Macros (.xlsm, vbaProject.bin) and anything that is not an Office Open XML
workbook are refused. A CSV must decode as UTF-8 (with or without BOM), UTF-16 with BOM or GB18030 (GBK),
without control characters.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass

from django.conf import settings

from steward.evidence import sniff

OLE_MAGIC = sniff.OLE_MAGIC  # legacy .xls and encrypted workbooks
WORKBOOK_CONTENT_TYPE = b"spreadsheetml.sheet.main+xml"
MAX_ENTRIES = 1000
MAX_RATIO = 200  # uncompressed : compressed, over the whole archive
CHUNK = 64 * 1024


@dataclass
class Refusal(Exception):
    code: str
    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""


def clean_name(name: str) -> str:
    """The user's file name as NFC text (GBK names arrive already decoded by the browser), metadata only."""
    name = unicodedata.normalize("NFC", name or "").replace("\x00", "")
    return name.replace("/", "_").replace("\\", "_")[-200:] or "upload.xlsx"


def check_size(data: bytes) -> None:
    limit = settings.INTAKE_MAX_BYTES
    if len(data) > limit:
        raise Refusal("too_large", f"文件过大：{len(data)} 字节，上限为 {limit} 字节。")
    if not data:
        raise Refusal("empty", "文件是空的。")


def check_table_bytes(name: str, data: bytes) -> str:
    """For an importer that takes a table as .xlsx or .csv: refuse anything else; return "xlsx" or "csv"."""
    check_size(data)
    lowered = clean_name(name).lower()
    if lowered.endswith(".csv"):
        if data.startswith((b"PK\x03\x04", OLE_MAGIC, b"%PDF")):
            found = sniff.label(sniff.sniff(data))
            raise Refusal("not_csv", f"文件扩展名为 .csv，但内容是{found}；请上传 CSV 文本或 .xlsx 工作簿。")
        try:
            sniff.decode_text(data)
        except sniff.NotText:
            raise Refusal(
                "not_csv",
                "CSV 文件无法读取：应为 UTF-8 或 GBK（GB18030）编码的文本，且不含控制字符。",
            ) from None
        return "csv"
    if lowered.endswith((".xlsx", ".xlsm", ".xltm", ".xlsb")):
        check_workbook_bytes(name, data)
        return "xlsx"
    raise Refusal("file_type", "仅支持 CSV 或 XLSX 文件。")


def check_workbook_bytes(name: str, data: bytes) -> None:
    """Raise Refusal unless `data` is a plain .xlsx within the size limits."""
    check_size(data)
    lowered = clean_name(name).lower()
    if lowered.endswith((".xlsm", ".xltm", ".xlsb")):
        raise Refusal("macro", "不接受含宏的工作簿（.xlsm/.xlsb），请另存为 .xlsx 后上传。")
    if data.startswith(OLE_MAGIC):
        raise Refusal("not_xlsx", "这是旧版 .xls 或加密的工作簿，请用 Excel 另存为 .xlsx（不加密）后上传。")
    if not lowered.endswith(".xlsx"):
        raise Refusal("not_xlsx", "只接受 Excel .xlsx 文件，请使用本系统下载的模板。")
    if not data.startswith(b"PK\x03\x04"):
        found = sniff.sniff(data)
        if found in {sniff.TEXT, sniff.BINARY}:
            raise Refusal("not_xlsx", "文件已损坏或不是 .xlsx 工作簿。")
        raise Refusal("not_xlsx", f"文件扩展名为 .xlsx，但内容是{sniff.label(found)}，不是 Excel 工作簿。")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, NotImplementedError):
        raise Refusal("not_xlsx", "文件已损坏或不是 .xlsx 工作簿。") from None
    if len(entries) > MAX_ENTRIES:
        raise Refusal("zip_bomb", f"工作簿包含的部件过多（{len(entries)} 个），已拒绝。")
    names = {entry.filename for entry in entries}
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise Refusal("macro", "工作簿含有宏（vbaProject.bin），已拒绝；请另存为不含宏的 .xlsx。")
    if any(n.startswith("/") or ".." in n.split("/") for n in names):
        raise Refusal("not_xlsx", "工作簿内部路径异常，已拒绝。")
    _measure(archive, entries, len(data))
    if "[Content_Types].xml" not in names:
        raise Refusal("not_xlsx", "文件不是 Excel 工作簿（缺少内容类型清单）。")
    try:
        content_types = archive.read("[Content_Types].xml")
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, EOFError):
        raise Refusal("not_xlsx", "文件已损坏或已加密，无法读取。") from None
    if b"macroEnabled" in content_types:
        raise Refusal("macro", "工作簿声明为启用宏的格式，已拒绝。")
    if WORKBOOK_CONTENT_TYPE not in content_types:
        raise Refusal("not_xlsx", "文件不是 Excel 工作簿。")


def _measure(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo], compressed: int) -> None:
    """Stream every entry and count the bytes really produced; stop at the first limit crossed."""
    limit = settings.INTAKE_MAX_UNCOMPRESSED_BYTES
    total = 0
    for entry in entries:
        try:
            with archive.open(entry) as stream:
                while chunk := stream.read(CHUNK):
                    total += len(chunk)
                    if total > limit or total > MAX_RATIO * max(compressed, 1) + CHUNK:
                        raise Refusal(
                            "zip_bomb",
                            f"工作簿解压后过大（超过 {limit} 字节或压缩比超过 {MAX_RATIO}:1），疑似压缩炸弹，已拒绝。",
                        )
        except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, EOFError):
            raise Refusal("not_xlsx", "文件已损坏或已加密，无法读取。") from None
