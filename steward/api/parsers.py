"""The API's JSON parser: the edge's bounded reader instead of DRF's JSONParser.

DRF reads the request stream itself, so Django's DATA_UPLOAD_MAX_MEMORY_SIZE (checked only when
`request.body` is read) never applied to JSON: a 30 MiB body was parsed. Here at most that many bytes are
read, nesting is bounded before parsing, numbers are Decimal and every string is checked for control
characters (steward.edge.json_body).
"""

from __future__ import annotations

from django.conf import settings
from rest_framework.exceptions import APIException
from rest_framework.parsers import BaseParser

from steward.edge import json_body
from steward.edge.errors import EdgeError


class BodyRefused(APIException):
    """Carries an EdgeError's field errors and status through DRF (rendered by steward.api.errors)."""

    def __init__(self, error: EdgeError):
        super().__init__(detail="invalid body")
        self.status_code = error.status
        self.edge_error = error


class BoundedJSONParser(BaseParser):
    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or json_body.MAX_BODY_BYTES
        try:
            return json_body.loads(json_body.read_limited(stream, limit=limit))
        except EdgeError as error:
            raise BodyRefused(error) from None
