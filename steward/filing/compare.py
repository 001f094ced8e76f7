"""What changed between two versions of a month's filing: the sealed payload of the earlier one against the
later one's (sealed, or as it stands in its draft)."""

from __future__ import annotations

from dataclasses import dataclass

from steward.filing import seal
from steward.filing.models import MonthlyFiling


@dataclass(frozen=True)
class Difference:
    item: str  # a source code, an output kind or "result"
    field: str
    before: str | None
    after: str | None


def _flatten(payload: dict) -> dict[tuple[str, str], str]:
    values = {}
    for record in payload.get("records", []):
        values[(record["source"], "quantity")] = f"{record['quantity']} {record['unit']}"
        values[(record["source"], "data_source")] = record["data_source"]
        for parameter in record["parameters"]:
            values[(record["source"], parameter["name"])] = f"{parameter['value']} {parameter['unit']}"
    for output in payload.get("outputs", []):
        values[(output["kind"], "value")] = f"{output['value']} {output['unit']}"
    for stock in payload.get("stocks", []):
        values[(stock["source"], "stock")] = (
            f"{stock['opening']} + {stock['receipts']} − {stock['closing']} {stock['unit']}"
        )
    for bill in payload.get("bills", []):
        values[(bill["source"], "bill")] = f"{bill['bill_number']} {bill['quantity']} {bill['unit']}"
    if payload.get("result"):
        values[("result", "total_tco2")] = payload["result"]["total_tco2"]
        values[("result", "factor_set")] = payload["result"]["factor_set"]
        if "direct_tco2" in payload["result"]:
            values[("result", "direct_tco2")] = payload["result"]["direct_tco2"]
    return values


def differences(before: dict, after: dict) -> list[Difference]:
    old, new = _flatten(before), _flatten(after)
    return [
        Difference(item, field, old.get((item, field)), new.get((item, field)))
        for item, field in sorted(old.keys() | new.keys())
        if old.get((item, field)) != new.get((item, field))
    ]


def changes_since_previous_version(filing: MonthlyFiling) -> list[Difference] | None:
    """None when there is no sealed earlier version to compare with."""
    previous = filing.supersedes
    if previous is None or not previous.sealed_payload:
        return None
    return differences(previous.sealed_payload, filing.sealed_payload or seal.build_payload(filing))
