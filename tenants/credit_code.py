"""Unified social credit code (统一社会信用代码), GB 32100-2015.

18 characters from a 31-character alphabet (digits and capitals without I, O, Z, S, V). Position 18 is a check
character: C18 = 31 − (Σ value(c_i) × w_i mod 31), with w_i = 3^(i−1) mod 31, and 31 written as "0".
Positions 3–8 are the administrative division code (digits).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
REGISTRATION_AUTHORITIES = "123456789ABNY"


def check_character(first_17: str) -> str:
    """The check character GB 32100-2015 §5 prescribes for the first 17 characters."""
    total = sum(ALPHABET.index(char) * weight for char, weight in zip(first_17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalise(code: str) -> str:
    return code.strip().upper()


def validate_credit_code(value: str) -> None:
    """Raise ValidationError with a code and a Chinese message when `value` is not a valid credit code."""
    code = normalise(value)
    if len(code) != 18:
        raise ValidationError(
            _("统一社会信用代码应为18位，当前为%(length)d位。"), code="length", params={"length": len(code)}
        )
    bad = sorted({char for char in code if char not in ALPHABET})
    if bad:
        raise ValidationError(
            _("统一社会信用代码含有不允许的字符：%(chars)s（不使用 I、O、Z、S、V）。"),
            code="alphabet",
            params={"chars": "、".join(bad)},
        )
    if code[0] not in REGISTRATION_AUTHORITIES:
        raise ValidationError(_("统一社会信用代码第1位（登记管理部门代码）无效。"), code="authority")
    if not code[2:8].isdigit():
        raise ValidationError(_("统一社会信用代码第3至8位应为行政区划代码（数字）。"), code="division")
    expected = check_character(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _("统一社会信用代码校验位错误：第18位应为 %(expected)s，实际为 %(actual)s。请核对后重新输入。"),
            code="check_digit",
            params={"expected": expected, "actual": code[17]},
        )
