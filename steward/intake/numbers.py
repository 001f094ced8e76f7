"""Numbers as real spreadsheets hold them: text, thousands separators, full-width digits, never floats."""

from __future__ import annotations

import unicodedata
from decimal import Decimal, InvalidOperation

MAX_DIGITS, DECIMAL_PLACES = 24, 8  # steward.carbon.models.QUANTITY


class NumberError(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def parse_decimal(value: object, *, percent: bool = False) -> Decimal | None:
    """A cell's value as Decimal; None for an empty cell.

    A numeric cell arrives from openpyxl as int or float; a float is read through its shortest round-trip
    text (repr), which is the number Excel stored, so no binary arithmetic touches the figure.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise NumberError("not_a_number", f"“{value}”不是数字")
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        text = "".join(unicodedata.normalize("NFKC", str(value)).split())
        if not text:
            return None
        text = text.replace(",", "").replace("_", "")
        if percent and text.endswith("%"):
            text = text[:-1]
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise NumberError("not_a_number", f"“{value}”不是数字") from None
    if not number.is_finite():
        raise NumberError("not_finite", f"“{value}”不是有限数")
    if number < 0:
        raise NumberError("negative", f"数值不能为负：{value}")
    sign, digits, exponent = number.normalize().as_tuple()
    places = max(0, -exponent)
    if places > DECIMAL_PLACES or len(digits) - places > MAX_DIGITS - DECIMAL_PLACES:
        raise NumberError("precision", f"数值超出精度（整数最多16位、小数最多8位）：{value}")
    return number
