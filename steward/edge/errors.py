"""The house shape of a refusal, `{field: [{"code": ..., "message": ...}]}`, and the codes given at the edge."""

from __future__ import annotations

from django.core.exceptions import ValidationError

FieldErrors = dict[str, list[dict[str, str]]]
ROOT = "non_field_errors"

# The refusal codes given by this package (the catalogue of what a client may have to act on).
EDGE_CODES = {
    "not_a_decimal": "数值格式无法识别",
    "not_finite": "数值必须是有限数（不接受 NaN、Infinity）",
    "too_long": "数值位数过多",
    "negative": "数值不能为负",
    "out_of_range": "数值超出该单位允许的范围",
    "too_precise": "小数位数超出该单位允许的精度",
    "control_character": "含有不允许的控制字符",
    "invalid_json": "请求体不是有效的 JSON",
    "too_deep": "JSON 嵌套层级过深",
    "too_many_values": "JSON 中的值过多",
    "too_large": "请求体过大",
    "invalid_shape": "字段类型不符（如应为对象却给了数组）",
    "unknown_field": "未知字段",
    "read_only_field": "只读字段不能写入",
    "period_in_future": "核算期晚于当前月份",
    "period_before_first_year": "核算期早于首个报告年度",
    "invalid_period": "核算期无效",
}


class EdgeError(ValidationError):
    """A refusal with field paths, usable wherever a Django ValidationError is (services, forms, the API).

    `status` is the HTTP status the API answers with (413 for a body over the size limit, else 400).
    """

    def __init__(self, errors: FieldErrors, *, status: int = 400):
        super().__init__(
            {
                path: [ValidationError(item["message"], code=item["code"]) for item in items]
                for path, items in errors.items()
            }
        )
        self.errors = {path: list(items) for path, items in errors.items()}
        self.status = status

    @classmethod
    def one(cls, path: str, code: str, message: str, *, status: int = 400) -> EdgeError:
        return cls({path: [{"code": code, "message": message}]}, status=status)


def field_errors(error: ValidationError, *, root: str = ROOT) -> FieldErrors:
    """Any Django ValidationError (a service's or a methodology's domain refusal) in the house shape."""
    if isinstance(error, EdgeError):
        return {path or root: items for path, items in error.errors.items()}
    if hasattr(error, "error_dict"):
        return {
            (field if field and field != "__all__" else root): [_item(e) for e in errors]
            for field, errors in error.error_dict.items()
        }
    return {root: [_item(e) for e in error.error_list]}


def _item(error: ValidationError) -> dict[str, str]:
    return {"code": error.code or "invalid", "message": " ".join(error.messages)}
