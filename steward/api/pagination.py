"""Pagination with bounds: stock LimitOffsetPagination passes any integer to SQL, and a limit or offset beyond
PostgreSQL's bigint is a 500 (found by schemathesis)."""

from rest_framework.pagination import LimitOffsetPagination

MAX_OFFSET = 10**12


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    max_limit = 500

    def get_offset(self, request) -> int:
        return min(super().get_offset(request), MAX_OFFSET)
