"""Numbers as real spreadsheets and CSV exports hold them: text, thousands separators, full-width digits,
never floats. The one `parse_decimal` of every upload (activity template, CEMS import) and of the pages
that read a typed quantity.

Bounds (documented, so the edge-validation range table can point here):
- at most MAX_TEXT_LENGTH characters of text, before any conversion (a 5,000-digit string is refused unread);
- at most MAX_INTEGER_DIGITS digits before the decimal point and MAX_DECIMAL_PLACES after it (the database's
  QUANTITY field: 24 digits, 8 places), so an exponent like 1e400 or 1e999999999 is refused by magnitude;
- finite, not negative, not a formula.
Every check is integer arithmetic on the decimal's digits: no Decimal context operation (which could raise
Overflow or round a long number silently) runs on an unchecked value.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal, InvalidOperation

MAX_DIGITS, DECIMAL_PLACES = 24, 8  # steward.carbon.models.QUANTITY
MAX_INTEGER_DIGITS = MAX_DIGITS - DECIMAL_PLACES
MAX_DECIMAL_PLACES = DECIMAL_PLACES
MAX_TEXT_LENGTH = 64
SHOWN = 30  # characters of the offending value quoted back in a message


class NumberError(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def _shown(value: object) -> str:
    if isinstance(value, int) and value.bit_length() > 256:  # str() of a huge int is refused by Python itself
        return "（超长整数）"
    text = str(value)
    return text if len(text) <= SHOWN else text[:SHOWN] + "…"


def parse_decimal(value: object, *, percent: bool = False) -> Decimal | None:
    """A cell's (or a field's) value as Decimal; None for an empty value. Raises NumberError with a code:
    not_a_number, formula, not_finite, negative, too_long, out_of_range, precision.

    A numeric cell arrives from openpyxl as int or float; a float is read through its shortest round-trip
    text (repr), which is the number Excel stored, so no binary arithmetic touches the figure.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise NumberError("not_a_number", f"“{value}”不是数字")
    if isinstance(value, int):
        if abs(value) >= 10**MAX_INTEGER_DIGITS:
            raise NumberError(
                "out_of_range", f"数值过大（整数部分最多{MAX_INTEGER_DIGITS}位）：{_shown(value)}"
            )
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, Decimal):
        number = value
    else:
        text = str(value)
        if len(text) > 4 * MAX_TEXT_LENGTH:
            raise NumberError("too_long", f"数值文字过长（最多{MAX_TEXT_LENGTH}个字符）：{_shown(value)}")
        text = "".join(unicodedata.normalize("NFKC", text).split())
        if not text:
            return None
        if text.startswith("="):
            raise NumberError("formula", f"单元格含公式，请粘贴为数值后再上传：{_shown(value)}")
        if len(text) > MAX_TEXT_LENGTH:
            raise NumberError("too_long", f"数值文字过长（最多{MAX_TEXT_LENGTH}个字符）：{_shown(value)}")
        text = text.replace(",", "").replace("_", "")
        if percent and text.endswith("%"):
            text = text[:-1]
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise NumberError("not_a_number", f"“{_shown(value)}”不是数字") from None
    return _bounded(number, value)


def _bounded(number: Decimal, value: object) -> Decimal:
    if not number.is_finite():
        raise NumberError("not_finite", f"“{_shown(value)}”不是有限数")
    sign, digits, exponent = number.as_tuple()
    significant = list(digits)
    while len(significant) > 1 and significant[-1] == 0:  # trailing zeros: 1.500 has one decimal place
        significant.pop()
        exponent += 1
    if significant == [0]:
        return Decimal(0)
    if sign:
        raise NumberError("negative", f"数值不能为负：{_shown(value)}")
    integer_digits = len(significant) + exponent
    if integer_digits > MAX_INTEGER_DIGITS:
        raise NumberError("out_of_range", f"数值过大（整数部分最多{MAX_INTEGER_DIGITS}位）：{_shown(value)}")
    if -exponent > MAX_DECIMAL_PLACES:
        raise NumberError("precision", f"数值超出精度（小数最多{MAX_DECIMAL_PLACES}位）：{_shown(value)}")
    if number.as_tuple().exponent > 0 or -number.as_tuple().exponent > MAX_DECIMAL_PLACES:
        # 1.5E+3 or 1.000000000: the same value written plainly, within the stored precision
        return (
            Decimal((0, tuple(significant), exponent))
            if exponent <= 0
            else Decimal(int("".join(map(str, significant))) * 10**exponent)
        )
    return number
