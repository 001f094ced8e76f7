"""One exception handler for the API: every refusal in the documented `{field: [{"code", "message"}]}` shape.

DRF gives serializer errors as nested lists and dicts of plain strings; here they become field paths
(`parameters[0].value`) with each error's code. A Django ValidationError that reaches a view uncaught (a
service's or a methodology's domain refusal, an EdgeError) is a 400 with its fields named, not a 500.
A refusal class with `http_status = 409` (a conflict: the record or the month changed state first) answers 409.
Other API errors (401, 403, 404, 405, 429) keep DRF's `{"detail": ...}` and gain a `code`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import ErrorDetail, ParseError, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from steward.api.parsers import BodyRefused
from steward.edge.errors import ROOT, EdgeError, FieldErrors, field_errors


def _join(path: str, key) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    if key in {"non_field_errors", "__all__"}:
        return path
    return f"{path}.{key}" if path else str(key)


def _is_item(value) -> bool:
    return isinstance(value, dict) and set(value) == {"code", "message"}


def flatten(detail, path: str = "", into: FieldErrors | None = None) -> FieldErrors:
    """DRF's error detail (possibly nested, possibly already {code, message}) as {path: [{code, message}]}."""
    into = {} if into is None else into
    if _is_item(detail):
        into.setdefault(path or ROOT, []).append(
            {"code": str(detail["code"]), "message": str(detail["message"])}
        )
    elif isinstance(detail, dict):
        for key, value in detail.items():
            flatten(value, _join(path, key), into)
    elif isinstance(detail, list):
        for index, value in enumerate(detail):
            if isinstance(value, (dict, list)) and not _is_item(value):
                flatten(value, _join(path, index), into)
            else:
                flatten(value, path, into)
    else:
        code = detail.code if isinstance(detail, ErrorDetail) else "invalid"
        into.setdefault(path or ROOT, []).append({"code": code, "message": str(detail)})
    return into


def exception_handler(exc, context):
    if isinstance(exc, BodyRefused):
        return Response(field_errors(exc.edge_error), status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        # A refusal that says "someone acted first" or "the month is frozen" carries http_status 409.
        code = exc.status if isinstance(exc, EdgeError) else getattr(exc, "http_status", 400)
        return Response(field_errors(exc), status=code)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, ValidationError):
        response.data = flatten(exc.detail)
    elif isinstance(exc, ParseError):
        response.data = {ROOT: [{"code": "invalid_json", "message": str(exc.detail)}]}
    elif isinstance(response.data, dict) and isinstance(exc.detail, ErrorDetail):
        response.data["code"] = exc.detail.code
    return response
