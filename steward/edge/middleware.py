"""Refuse control characters in the path, the query string, cookies and form fields before any view or query.

`?source=%00` reached PostgreSQL as a filter value (a DataError, so a 500) and a NUL in the workspace slug
reached django-tenants' domain lookup; this middleware sits before the tenant middleware, so neither does.
API paths get the house JSON shape, pages a short Chinese text.
"""

from __future__ import annotations

import json

from django.http import HttpResponse
from django.http.multipartparser import MultiPartParserError

from steward.edge.text import forbidden_character

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _is_api(path: str) -> bool:
    return path.startswith("/api/") or ("/api/" in path and path.startswith("/e/"))


def _problem(request) -> tuple[str, str] | None:
    """(field, character) of the first forbidden character, or None."""
    character = forbidden_character(request.path, multiline=False)
    if character:
        return "path", character
    for key, values in request.GET.lists():
        for text in (key, *values):
            character = forbidden_character(text, multiline=False)
            if character:
                return key if text is not key else "query", character
    for name, value in request.COOKIES.items():  # a NUL in the session cookie reached the session lookup
        character = forbidden_character(name + value, multiline=False)
        if character:
            return f"cookie {name[:40]}", character
    if request.method == "POST" and request.content_type in FORM_TYPES:
        for key, values in request.POST.lists():
            for text in (key, *values):
                character = forbidden_character(text)
                if character:
                    return key if text is not key else "form", character
    return None


class EdgeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            problem = _problem(request)
        except MultiPartParserError:
            problem = None  # a broken multipart body: the view's parser answers that one
        if problem is None:
            return self.get_response(request)
        field, character = problem
        message = f"请求中含有不允许的控制字符 {character}（{field}）"
        if _is_api(request.path):
            body = json.dumps(
                {field: [{"code": "control_character", "message": message}]}, ensure_ascii=False
            )
            return HttpResponse(body, status=400, content_type="application/json; charset=utf-8")
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
