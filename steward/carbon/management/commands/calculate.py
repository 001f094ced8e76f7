"""`manage.py calculate PATH` (PATH `-` for standard input): the calculator from the command line.

Prints the JSON result; invalid input prints {"errors": {...}} and exits with status 2, never a traceback.
It needs no earlier command: without a reachable database or a published factor set it computes from the
factor files shipped in steward/factors/data/ (steward.factors.shipped).
"""

import json
import sys

from django.core.management.base import BaseCommand
from django.db import DatabaseError

from steward.carbon.calculator import CalculationInputError, calculate
from steward.edge import json_body
from steward.edge.errors import EdgeError
from steward.factors.models import FactorSet
from steward.factors.shipped import shipped_snapshot
from steward.factors.source import FactorSnapshot


def current_factors() -> FactorSnapshot:
    """The published factor set, or the shipped files when the database has none (or is not there yet)."""
    try:
        return FactorSnapshot.current()
    except (DatabaseError, FactorSet.DoesNotExist):
        return shipped_snapshot()


class Command(BaseCommand):
    help = "Compute emissions for a JSON calculation request (see docs/calculation.md)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="request file, or - for standard input")
        parser.add_argument("--factor-set", help="factor-set version to use (default: the current one)")

    def handle(self, *args, **options):
        try:
            data = json_body.loads(self._read(options["path"]))
        except EdgeError as error:
            self._fail(
                {"" if path == "non_field_errors" else path: items for path, items in error.errors.items()}
            )
        version = options["factor_set"]
        if version:
            try:
                factors = FactorSnapshot.for_version(version)
            except (DatabaseError, FactorSet.DoesNotExist):
                self._fail(
                    {"factor_set": [{"code": "unknown_factor_set", "message": f"未找到因子库版本 {version}"}]}
                )
        else:
            factors = current_factors()
        try:
            result = calculate(data, factors)
        except CalculationInputError as error:
            self._fail(error.errors)
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))

    def _read(self, path: str) -> bytes:
        if path == "-":
            return json_body.read_limited(sys.stdin.buffer)
        try:
            with open(path, "rb") as handle:
                return json_body.read_limited(handle)
        except OSError as error:
            self._fail(
                {"path": [{"code": "unreadable", "message": f"无法读取请求文件 {path}：{error.strerror}"}]}
            )

    def _fail(self, errors) -> None:
        self.stdout.write(json.dumps({"errors": errors}, ensure_ascii=False, indent=2))
        sys.exit(2)
