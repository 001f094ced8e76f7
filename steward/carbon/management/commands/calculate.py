"""`manage.py calculate PATH` (PATH `-` for standard input): the calculator from the command line.

Prints the JSON result; invalid input prints {"errors": {...}} and exits with status 2.
"""

import json
import sys
from decimal import Decimal

from django.core.management.base import BaseCommand

from steward.carbon.calculator import CalculationInputError, calculate
from steward.factors.source import FactorSnapshot


class Command(BaseCommand):
    help = "Compute emissions for a JSON calculation request (see docs/calculation.md)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="request file, or - for standard input")
        parser.add_argument("--factor-set", help="factor-set version to use (default: the current one)")

    def handle(self, *args, **options):
        source = sys.stdin if options["path"] == "-" else open(options["path"], encoding="utf-8")
        with source:
            try:
                data = json.load(source, parse_float=Decimal)
            except json.JSONDecodeError as error:
                self._fail({"": [{"code": "invalid_json", "message": f"JSON 格式错误：{error}"}]})
        version = options["factor_set"]
        factors = FactorSnapshot.for_version(version) if version else FactorSnapshot.current()
        try:
            result = calculate(data, factors)
        except CalculationInputError as error:
            self._fail(error.errors)
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))

    def _fail(self, errors) -> None:
        self.stdout.write(json.dumps({"errors": errors}, ensure_ascii=False, indent=2))
        sys.exit(2)
