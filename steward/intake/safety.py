"""Checks on an uploaded spreadsheet's bytes before any parser sees them (ASVS 5.2.1–5.2.3).

An .xlsx is a ZIP: the entry count and the uncompressed size are measured by streaming every entry with a
cap (declared sizes are not trusted), so a zip bomb is refused before openpyxl loads it. Macros (.xlsm,
vbaProject.bin) and anything that is not an Office Open XML workbook are refused.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from dataclasses import dataclass

from django.conf import settings

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls and encrypted workbooks
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


def check_workbook_bytes(name: str, data: bytes) -> None:
    """Raise Refusal unless `data` is a plain .xlsx within the size limits."""
    limit = settings.INTAKE_MAX_BYTES
    if len(data) > limit:
        raise Refusal("too_large", f"文件过大：{len(data)} 字节，上限为 {limit} 字节。")
    lowered = clean_name(name).lower()
    if lowered.endswith((".xlsm", ".xltm", ".xlsb")):
        raise Refusal("macro", "不接受含宏的工作簿（.xlsm/.xlsb），请另存为 .xlsx 后上传。")
    if data.startswith(OLE_MAGIC):
        raise Refusal("not_xlsx", "这是旧版 .xls 或加密的工作簿，请用 Excel 另存为 .xlsx（不加密）后上传。")
    if not lowered.endswith(".xlsx") or not data.startswith(b"PK\x03\x04"):
        raise Refusal("not_xlsx", "只接受 Excel .xlsx 文件，请使用本系统下载的模板。")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
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
    content_types = archive.read("[Content_Types].xml")
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
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, EOFError):
            raise Refusal("not_xlsx", "文件已损坏或已加密，无法读取。") from None
