"""The e企管 bridge, as a file drop (docs/eqiguan.md): one signed package per locked month.

e企管's interface is not public, so the adapter boundary is a directory: for every filing that is locked,
`<EQIGUAN_DROP_DIR>/<credit code>/<credit code>_<YYYY-MM>_v<version>.{json,csv,sig}` is written atomically.
The JSON is the sealed content with the seal chain; the CSV lists the activity lines; the .sig file holds
HMAC-SHA256 over the JSON and CSV bytes with EQIGUAN_SIGNING_KEY. A transport (SFTP, the bureau's gateway)
picks the files up; replacing this module with an HTTP client changes nothing else.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import os
from pathlib import Path

from django.conf import settings
from django.db import connection

from steward.filing.models import FilingStatus, MonthlyFiling
from tenants.models import Enterprise
from tenants.tasks import tenant_task

FORMAT = "carbon-steward/eqiguan-package-v1"
CSV_HEADER = ["credit_code", "year", "month", "source", "version", "quantity", "unit", "data_source"]


def _escape(value: str) -> str:
    return "'" + value if value[:1] in {"=", "+", "-", "@", "\t", "\r"} else value


def build_package(enterprise: Enterprise, filing: MonthlyFiling) -> tuple[bytes, bytes]:
    """(JSON, CSV) bytes of a locked filing, from its sealed payload."""
    payload = filing.sealed_payload or {}
    document = {
        "format": FORMAT,
        "enterprise": {"credit_code": enterprise.credit_code, "name": enterprise.name_zh},
        "period": f"{filing.year}-{filing.month:02d}",
        "filing_version": filing.version,
        "locked_at": filing.locked_at.isoformat() if filing.locked_at else None,
        "seal": filing.seal,
        "previous_seal": filing.previous_seal,
        "sealed_payload": payload,
    }
    json_bytes = json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1).encode()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for record in payload.get("records", []):
        writer.writerow(
            [
                enterprise.credit_code,
                filing.year,
                filing.month,
                _escape(str(record["source"])),
                record["version"],
                record["quantity"],
                record["unit"],
                record["data_source"],
            ]
        )
    return json_bytes, buffer.getvalue().encode("utf-8-sig")


def signature(json_bytes: bytes, csv_bytes: bytes) -> str:
    key = settings.EQIGUAN_SIGNING_KEY.encode()
    digest = hashlib.sha256(json_bytes).hexdigest() + "\n" + hashlib.sha256(csv_bytes).hexdigest() + "\n"
    return hmac.new(key, digest.encode(), hashlib.sha256).hexdigest()


def export_locked_month(*, year: int, month: int) -> Path | None:
    """Write the package of the current schema's locked filing for the month; None when not configured."""
    if not settings.EQIGUAN_DROP_DIR:
        return None
    enterprise = Enterprise.objects.get(workspace__schema_name=connection.schema_name)
    filing = (
        MonthlyFiling.objects.filter(year=year, month=month, status=FilingStatus.LOCKED)
        .order_by("-version")
        .first()
    )
    if filing is None:
        return None
    json_bytes, csv_bytes = build_package(enterprise, filing)
    folder = Path(settings.EQIGUAN_DROP_DIR) / enterprise.credit_code
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{enterprise.credit_code}_{year}-{month:02d}_v{filing.version}"
    sig = f"{signature(json_bytes, csv_bytes)}  {stem}.json {stem}.csv\n".encode()
    for suffix, data in (("json", json_bytes), ("csv", csv_bytes), ("sig", sig)):  # .sig last: "complete"
        temporary = folder / f".{stem}.{suffix}.part"
        temporary.write_bytes(data)
        os.replace(temporary, folder / f"{stem}.{suffix}")
    return folder / f"{stem}.json"


@tenant_task(name="integrations.export_eqiguan")
def export_locked_month_task(*, year: int, month: int) -> str:
    path = export_locked_month(year=year, month=month)
    return str(path or "")
