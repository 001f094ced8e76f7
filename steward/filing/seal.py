"""Seals: a SHA-256 over a month's sealed content, chained to the enterprise's previous seal.

The payload lists the current version of every record with its values and parameters, the outputs, the
evidence hashes behind the lab reports, the fuel stock ledger and grid bills (with their files' hashes), and
the computed total. `verify_seals` rebuilds each payload from
the rows it names and recomputes the chain, so a row changed behind the application's back is named.
"""

from __future__ import annotations

import hashlib
import json

from steward.carbon.models import ActivityRecord, ElectricityBill, FuelStockRecord, OutputRecord
from steward.carbon.selectors import current_outputs, current_records, current_run
from steward.carbon.trace import plain
from steward.filing.models import FilingStatus, MonthlyFiling

GENESIS = "0" * 64


def _record(record: ActivityRecord) -> dict:
    return {
        "id": record.pk,
        "source": record.source.code,
        "version": record.version,
        "quantity": plain(record.quantity),
        "unit": record.unit,
        "data_source": record.data_source,
        "parameters": sorted(
            [
                {
                    "name": p.name,
                    "value": plain(p.value),
                    "unit": p.unit,
                    "evidence": p.lab_report.evidence.sha256 if p.lab_report else None,
                }
                for p in record.parameters.select_related("lab_report__evidence")
            ],
            key=lambda item: item["name"],
        ),
    }


def _output(row: OutputRecord) -> dict:
    return {
        "id": row.pk,
        "kind": row.kind,
        "version": row.version,
        "value": plain(row.value),
        "unit": row.unit,
    }


def _stock(row: FuelStockRecord) -> dict:
    return {
        "id": row.pk,
        "source": row.source.code,
        "version": row.version,
        "opening": plain(row.opening_stock),
        "receipts": plain(row.receipts),
        "closing": plain(row.closing_stock),
        "unit": row.unit,
        "evidence": row.evidence.sha256 if row.evidence else None,
    }


def _bill(row: ElectricityBill) -> dict:
    return {
        "id": row.pk,
        "source": row.source.code,
        "version": row.version,
        "bill_number": row.bill_number,
        "quantity": plain(row.billed_quantity),
        "unit": row.unit,
        "evidence": row.evidence.sha256,
    }


def _current_ledger(model, year: int, month: int) -> list:
    rows = model.objects.filter(year=year, month=month).select_related("source", "evidence")
    return list({row.source_id: row for row in rows.order_by("source_id", "version")}.values())


def _result(run, *, direct: bool = True) -> dict:
    """The sealed result: the run, its total, its factor set and the direct emissions, which are the national
    market's compliance (ETS) figure (for cement the clinker facility's fuel, clinker process and raw-meal
    carbon; purchased electricity and heat are reported but not counted)."""
    sealed = {"run": run.pk, "total_tco2": plain(run.total_tco2), "factor_set": run.factor_set_version}
    if direct:
        sealed["direct_tco2"] = run.result.get("direct_tco2", sealed["total_tco2"])
    return sealed


def build_payload(filing: MonthlyFiling) -> dict:
    """The sealed content of a filing, from the current records of its month."""
    run = current_run(filing.year, filing.month)
    return {
        "year": filing.year,
        "month": filing.month,
        "version": filing.version,
        "records": sorted(
            (_record(r) for r in current_records(filing.year, filing.month).values()),
            key=lambda item: item["id"],
        ),
        "outputs": sorted(
            (_output(o) for o in current_outputs(filing.year, filing.month).values()),
            key=lambda item: item["id"],
        ),
        "result": _result(run) if run else None,
        "stocks": sorted(
            (_stock(r) for r in _current_ledger(FuelStockRecord, filing.year, filing.month)),
            key=lambda item: item["id"],
        ),
        "bills": sorted(
            (_bill(r) for r in _current_ledger(ElectricityBill, filing.year, filing.month)),
            key=lambda item: item["id"],
        ),
    }


def rebuild_payload(payload: dict) -> dict:
    """The same payload, re-read from the rows it names (to detect changes made behind the application)."""
    records = ActivityRecord.objects.filter(pk__in=[r["id"] for r in payload["records"]]).select_related(
        "source"
    )
    outputs = OutputRecord.objects.filter(pk__in=[o["id"] for o in payload["outputs"]])
    rebuilt = {
        **payload,
        "records": sorted((_record(r) for r in records), key=lambda item: item["id"]),
        "outputs": sorted((_output(o) for o in outputs), key=lambda item: item["id"]),
    }
    # Seals made before the stock ledger and bills were sealed have no such keys: rebuild what was sealed.
    for key, model, describe in (("stocks", FuelStockRecord, _stock), ("bills", ElectricityBill, _bill)):
        if key in payload:
            rows = model.objects.filter(pk__in=[item["id"] for item in payload[key]])
            rebuilt[key] = sorted(
                (describe(row) for row in rows.select_related("source", "evidence")),
                key=lambda item: item["id"],
            )
    if payload["result"]:
        from steward.carbon.models import CalculationRun

        run = CalculationRun.objects.filter(pk=payload["result"]["run"]).first()
        # Seals made before the direct (ETS) figure was sealed have no such key: rebuild what was sealed.
        rebuilt["result"] = _result(run, direct="direct_tco2" in payload["result"]) if run else None
    return rebuilt


def seal_of(payload: dict, previous_seal: str) -> str:
    canonical = json.dumps(
        {"previous": previous_seal, "payload": payload},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def content_digest(payload: dict) -> str:
    """The SHA-256 of a payload alone (no chain): what submission records and approval compares."""
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def chain_head() -> str:
    last = (
        MonthlyFiling.objects.filter(status=FilingStatus.LOCKED)
        .exclude(seal="")
        .order_by("-locked_at", "-pk")
        .first()
    )
    return last.seal if last else GENESIS


def verify_chain() -> list[str]:
    """Problems found in this enterprise's seal chain (none: every sealed filing is intact)."""
    problems, previous = [], GENESIS
    for filing in (
        MonthlyFiling.objects.filter(status=FilingStatus.LOCKED).exclude(seal="").order_by("locked_at", "pk")
    ):
        label = f"{filing.year}年{filing.month}月 第{filing.version}版"
        if filing.previous_seal != previous:
            problems.append(f"{label}：前序哈希与链不符（记录被删除或顺序被改动）")
        if seal_of(filing.sealed_payload, filing.previous_seal) != filing.seal:
            problems.append(f"{label}：存证内容与哈希不符（存证记录被改动）")
        rebuilt = rebuild_payload(filing.sealed_payload)
        if rebuilt != filing.sealed_payload:
            changed = [
                r["source"]
                for r, s in zip(rebuilt["records"], filing.sealed_payload["records"], strict=False)
                if r != s
            ]
            problems.append(f"{label}：已存证的数据在应用之外被修改（{', '.join(changed) or '产出或结果'}）")
        previous = filing.seal
    return problems
