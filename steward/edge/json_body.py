"""Reading a JSON body safely: bounded size and nesting, numbers as Decimal, every string checked.

`json.loads` alone turns `1e400` into float infinity, a 5,000-digit integer into a ValueError, `NaN` into a
float, and a body nested a few thousand deep into a RecursionError. Here numbers stay exact (`Decimal`, or
`int` for short integers) and are bounded later by the field that receives them (`steward.edge.numbers`);
`NaN`/`Infinity` become non-finite Decimals that every numeric field refuses by name; nesting is measured
before parsing.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import IO, Any

from steward.edge.errors import EdgeError
from steward.edge.text import check_strings

MAX_BODY_BYTES = 5 * 1024 * 1024  # the same 5 MiB as DATA_UPLOAD_MAX_MEMORY_SIZE for forms
MAX_DEPTH = 20
SHORT_INTEGER = 18  # digits; longer integers stay Decimal so no int is built from thousands of digits
_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)  # a string, or a bracket
MAX_VALUES = 20_000  # separators (commas and colons); no request of this API comes near it


def read_limited(stream: IO[bytes], *, limit: int = MAX_BODY_BYTES) -> bytes:
    """At most `limit` bytes of `stream`, or a 413 EdgeError when there are more."""
    raw = stream.read(limit + 1)
    if len(raw) > limit:
        raise EdgeError.one(
            "non_field_errors", "too_large", f"请求体不能超过 {limit // (1024 * 1024)} MiB", status=413
        )
    return raw


def nesting_depth(text: str, *, stop_above: int | None = None) -> int:
    """The deepest nesting of arrays and objects in `text` (brackets inside strings do not count); the scan
    stops as soon as the depth exceeds `stop_above`."""
    depth = deepest = 0
    for token in _TOKENS.finditer(text):
        mark = token.group()
        if mark in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if stop_above is not None and deepest > stop_above:
                break
        elif mark in "]}":
            depth -= 1
    return deepest


def _integer(text: str) -> int | Decimal:
    return int(text) if len(text.lstrip("-")) <= SHORT_INTEGER else Decimal(text)


def loads(raw: bytes | str, *, max_depth: int = MAX_DEPTH) -> Any:
    """Parse a JSON document, or raise an EdgeError (`invalid_json`, `too_deep`, `control_character`)."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise EdgeError.one(
                "non_field_errors", "invalid_json", f"请求体不是 UTF-8 编码：{error}"
            ) from None
    if raw.count(",") + raw.count(":") > MAX_VALUES:  # counted in C; parsing millions of values is not
        raise EdgeError.one("non_field_errors", "too_many_values", f"JSON 不能超过 {MAX_VALUES} 个值")
    # Counting brackets is cheap and bounds the depth from above; scan only when it could be too deep.
    if raw.count("[") + raw.count("{") > max_depth and nesting_depth(raw, stop_above=max_depth) > max_depth:
        raise EdgeError.one("non_field_errors", "too_deep", f"JSON 嵌套不能超过 {max_depth} 层")
    try:
        data = json.loads(raw, parse_float=Decimal, parse_int=_integer, parse_constant=Decimal)
    except ValueError as error:
        raise EdgeError.one("non_field_errors", "invalid_json", f"JSON 格式错误：{error}") from None
    problems = check_strings(data)
    if problems:
        raise EdgeError(problems)
    return data
