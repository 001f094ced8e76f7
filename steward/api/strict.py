"""Write serializers refuse what they do not know: a misspelt or read-only key is named, never ignored
(docs/api.md: refusals are explicit)."""

from __future__ import annotations

from collections.abc import Mapping

from rest_framework.exceptions import ErrorDetail, ValidationError


class RefuseUnknownFields:
    """Mixin for a DRF serializer: each key that is not a writable field is a field error."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            errors = {}
            for key in data:
                field = self.fields.get(key)
                if field is None:
                    errors[key] = [ErrorDetail(f"未知字段 {key}", code="unknown_field")]
                elif field.read_only:
                    errors[key] = [ErrorDetail(f"字段 {key} 为只读，不能写入", code="read_only_field")]
            if errors:
                raise ValidationError(errors)
        return super().to_internal_value(data)


def int_query(params, name: str) -> int | None:
    """A query parameter that must be a plain integer (ASCII digits, at most 6): None when absent."""
    raw = params.get(name)
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 6):
        raise ValidationError({name: [ErrorDetail("应为整数。", code="invalid")]})
    return int(raw)
