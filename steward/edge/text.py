"""Text as stored: NFC-normalised, without NUL, C0/C1 control characters or lone surrogates.

PostgreSQL refuses NUL in text (a DataError, i.e. a 500, if it gets that far), a lone surrogate cannot be
encoded as UTF-8, and a control character such as U+0007 breaks every XLSX written with it. Tab, line feed and
carriage return are allowed only where text may span lines.
"""

from __future__ import annotations

import re
import unicodedata

from steward.edge.errors import EdgeError, FieldErrors

SINGLE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
MULTI_LINE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def forbidden_character(text: str, *, multiline: bool = True) -> str | None:
    """The first character not allowed in `text`, as U+XXXX, or None."""
    found = (MULTI_LINE if multiline else SINGLE_LINE).search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def control_character_error(path: str, character: str) -> EdgeError:
    return EdgeError.one(path, "control_character", f"含有不允许的控制字符 {character}")


def clean_text(text: str, path: str, *, multiline: bool = False) -> str:
    """`text` NFC-normalised, or an EdgeError naming `path` when it holds a forbidden character."""
    character = forbidden_character(text, multiline=multiline)
    if character:
        raise control_character_error(path, character)
    return unicodedata.normalize("NFC", text)


def check_strings(data, path: str = "") -> FieldErrors:
    """Every forbidden character in the keys and string values of parsed JSON, by path (depth already bounded)."""
    errors: FieldErrors = {}

    def visit(value, at: str) -> None:
        if isinstance(value, str):
            character = forbidden_character(value)
            if character:
                errors[at or "non_field_errors"] = control_character_error(at, character).errors[at]
        elif isinstance(value, dict):
            for key, item in value.items():
                where = f"{at}.{key}" if at else str(key)
                character = forbidden_character(key)
                if character:
                    errors[at or "non_field_errors"] = control_character_error(at, character).errors[at]
                    continue
                visit(item, where)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                visit(item, f"{at}[{index}]")

    visit(data, path)
    return errors
