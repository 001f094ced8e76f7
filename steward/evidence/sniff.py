"""What an uploaded file really is, read from its bytes (never from the declared type or the name).

Binary formats are named by puremagic's signature table (pure Python, maintained, no libmagic to install);
a ZIP is opened to tell an Office Open XML workbook or document, or an OFD, from any other archive, by its
own manifest. Text is decoded as UTF-8 (with or without BOM), UTF-16 with BOM, then GB18030 (the superset of
GBK that Chinese CEMS and ERP exports write); text holding NUL or other control characters is binary.
"""

from __future__ import annotations

import io
import zipfile
import zlib

import puremagic

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
OFD = "application/ofd"
CSV = "text/csv"
TEXT = "text/plain"
ZIP = "application/zip"
HTML = "text/html"
BINARY = "application/octet-stream"

LABELS = {
    PDF: "PDF 文档",
    PNG: "PNG 图片",
    JPEG: "JPEG 图片",
    XLSX: "Excel .xlsx 工作簿",
    DOCX: "Word .docx 文档",
    OFD: "OFD 版式文档",
    CSV: "CSV 文本",
    TEXT: "纯文本",
    ZIP: "ZIP 压缩包",
    HTML: "网页（HTML）",
    "application/vnd.ms-excel": "旧版 .xls 或加密的 Office 文件",
    "application/vnd.microsoft.portable-executable": "可执行程序",
    "application/x-msdownload": "可执行程序",
}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls/.doc and encrypted Office files
SPREADSHEET_MAIN = b"spreadsheetml.sheet.main+xml"
DOCUMENT_MAIN = b"wordprocessingml.document.main+xml"
MANIFEST_LIMIT = 1024 * 1024  # [Content_Types].xml is a few kilobytes; read at most this much of it
MAX_ENTRIES = 1000
TEXT_ENCODINGS = ("utf-8-sig", "gb18030")
ALLOWED_CONTROLS = {"\t", "\n", "\r", "\f"}


class NotText(ValueError):
    """The bytes are not text in any encoding we read, or they hold control characters."""


def decode_text(data: bytes) -> str:
    """The bytes as text: UTF-16 (with BOM), UTF-8 (with or without BOM), then GB18030; else NotText."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = TEXT_ENCODINGS
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if any(ch < " " and ch not in ALLOWED_CONTROLS or ch == "\x7f" for ch in text):
            raise NotText("control characters")
        return text
    raise NotText("undecodable")


def sniff(data: bytes) -> str:
    """The content type the bytes are (one of the constants above, or puremagic's name for them)."""
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if data.startswith(OLE_MAGIC):
        return "application/vnd.ms-excel"
    try:
        found = puremagic.from_string(data[:8192], mime=True)
    except (puremagic.PureError, ValueError):
        found = ""
    if found in {PDF, PNG, JPEG}:
        return found
    try:
        text = decode_text(data)
    except NotText:
        return found or BINARY
    if text.lstrip("\ufeff \t\r\n").startswith("<"):  # markup (HTML, SVG, XML) is never text or CSV
        return HTML
    return TEXT


def _zip_kind(data: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = {entry.filename for entry in archive.infolist()[: MAX_ENTRIES + 1]}
        if len(names) > MAX_ENTRIES:
            return ZIP
        if "OFD.xml" in names:
            return OFD
        if "[Content_Types].xml" not in names:
            return ZIP
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            return ZIP  # a macro-enabled document is not an allowed kind
        with archive.open("[Content_Types].xml") as stream:
            manifest = stream.read(MANIFEST_LIMIT)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        NotImplementedError,
        RuntimeError,
        EOFError,
        OSError,
    ):
        return ZIP  # damaged, encrypted or unsupported: not an allowed kind
    if b"macroEnabled" in manifest:
        return ZIP
    if SPREADSHEET_MAIN in manifest:
        return XLSX
    if DOCUMENT_MAIN in manifest:
        return DOCX
    return ZIP


def label(content_type: str) -> str:
    """A Chinese name for a content type, for refusal messages."""
    return LABELS.get(content_type, content_type or "未知类型")
