import pytest
from django.core.exceptions import ValidationError

from tenants.credit_code import check_character, validate_credit_code


def test_known_codes_pass():
    # Published example codes; their check characters follow GB 32100-2015.
    for code in ["91350100M000100Y43", "91110000802100433B"]:
        validate_credit_code(code)
    validate_credit_code(" 91350100m000100y43 ")  # lower case and spaces are normalised


def test_check_character_worked_example():
    # 9×1 + 1×3 + 3×9 + 5×27 + 0×19 + 1×26 + 0×16 + 0×17 + M(21)×20 + 0×29 + 0×25 + 0×13 + 1×8 + 0×24
    # + 0×10 + Y(30)×30 + 4×28 = 9 + 3 + 27 + 135 + 26 + 420 + 8 + 900 + 112 = 1640; 1640 mod 31 = 28;
    # 31 − 28 = 3
    assert check_character("91350100M000100Y4") == "3"


@pytest.mark.parametrize(
    ("code", "error_code", "fragment"),
    [
        ("91350100M000100Y44", "check_digit", "第18位应为 3"),
        ("91350100M000100Y4", "length", "18位"),
        ("91350100M0001O0Y43", "alphabet", "O"),
        ("C1350100M000100Y43", "authority", "登记管理部门"),
        ("9135A100M000100Y43", "division", "行政区划"),
    ],
)
def test_bad_codes_are_refused_with_a_clear_message(code, error_code, fragment):
    with pytest.raises(ValidationError) as caught:
        validate_credit_code(code)
    assert caught.value.code == error_code
    assert fragment in caught.value.messages[0]
