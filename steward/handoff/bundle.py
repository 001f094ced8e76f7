"""The evidence bundle of a locked month: a ZIP of the evidence files its seal covers, with manifest.json.

The files are those whose SHA-256 the sealed payload names (lab reports behind measured parameters, the fuel
stock ledger, grid bills), restricted to what the grant may see (steward.evidence.selectors). Each file's
bytes are re-hashed when read; a file whose bytes no longer match its hash is refused, never bundled. The
manifest lists each file's name in the ZIP, SHA-256, size and what cites it, with the month's seal, so the
platform (or anyone) can check the bundle against the seal, and the month's platform items (items.as_json: the
values the filer keys in, process items included). The same month gives the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from steward.evidence.models import EvidenceFile
from steward.evidence.selectors import evidence_visible_to
from steward.evidence.services import read_evidence
from steward.filing.models import MonthlyFiling
from steward.handoff.items import OutOfScope, as_json, build_handoff, platform_due_on

FORMAT = "carbon-steward.evidence-bundle/1"
MANIFEST = "manifest.json"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # ZIP entries carry no time of making: same month, same bytes
UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


class EvidenceDamaged(ValidationError):
    """A sealed file's stored bytes no longer match its hash: the bundle would contradict the seal (409)."""

    http_status = 409


def sealed_citations(payload: dict) -> dict[str, list[str]]:
    """SHA-256 → what in the sealed month cites that file (in the payload's order)."""
    cited: dict[str, list[str]] = {}

    def cite(sha: str | None, what: str) -> None:
        if sha:
            cited.setdefault(sha, [])
            if what not in cited[sha]:
                cited[sha].append(what)

    for record in payload.get("records", []):
        for parameter in record.get("parameters", []):
            cite(parameter.get("evidence"), f"检测报告：{record['source']} {parameter['name']}")
    for stock in payload.get("stocks", []):
        cite(stock.get("evidence"), f"购销存台账：{stock['source']}")
    for bill in payload.get("bills", []):
        cite(bill.get("evidence"), f"电费结算单：{bill['source']} {bill.get('bill_number', '')}".strip())
    return cited


def _entry_name(index: int, evidence: EvidenceFile) -> str:
    name = UNSAFE.sub("_", evidence.original_name).strip(". ") or evidence.sha256[:12]
    return f"{index:02d}-{name}"[:180]


def _platform_items(enterprise, filing: MonthlyFiling) -> dict | None:
    """The month's platform items as the JSON hand-off gives them (the same values beside the files)."""
    try:
        handoff = as_json(build_handoff(enterprise, filing))
    except OutOfScope:
        return None
    return {key: handoff[key] for key in ("format", "sector", "sector_name", "items")}


def build_bundle(*, grant, filing: MonthlyFiling, enterprise) -> tuple[bytes, dict]:
    """(ZIP bytes, manifest) for a locked `filing`, with the files `grant` may see."""
    payload = filing.sealed_payload or {}
    cited = sealed_citations(payload)
    rows = {row.sha256: row for row in EvidenceFile.objects.filter(sha256__in=list(cited))}
    visible = set(evidence_visible_to(grant).filter(sha256__in=list(cited)).values_list("sha256", flat=True))
    files, left_out, contents = [], [], []
    for sha in cited:  # the payload's order
        evidence = rows.get(sha)
        if evidence is None or sha not in visible:
            left_out.append(
                {
                    "sha256": sha,
                    "cited_by": cited[sha],
                    "reason": _("文件不存在") if evidence is None else _("无权查看该范围的文件"),
                }
            )
            continue
        try:
            data = read_evidence(evidence)
        except FileNotFoundError:
            data = None
        if data is None or hashlib.sha256(data).hexdigest() != sha:
            raise EvidenceDamaged(
                _("证据文件“%(name)s”缺失或内容与存证哈希不符，已停止生成证据包，请联系平台运维核查。"),
                code="evidence_damaged",
                params={"name": evidence.original_name},
            )
        name = _entry_name(len(files) + 1, evidence)
        files.append(
            {
                "name": name,
                "sha256": sha,
                "size": len(data),
                "content_type": evidence.content_type,
                "kind": evidence.get_kind_display(),
                "original_name": evidence.original_name,
                "cited_by": cited[sha],
            }
        )
        contents.append((name, data))
    manifest = {
        "format": FORMAT,
        "enterprise": {"name": enterprise.name_zh, "credit_code": enterprise.credit_code},
        "year": filing.year,
        "month": filing.month,
        "filing_version": filing.version,
        "seal": filing.seal,
        "previous_seal": filing.previous_seal,
        "locked_at": filing.locked_at.isoformat() if filing.locked_at else None,
        "platform_due_on": platform_due_on(filing.year, filing.month).isoformat(),
        "files": files,
        "not_included": left_out,
        "platform_items": _platform_items(enterprise, filing),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in [
            (MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")),
            *contents,
        ]:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.flag_bits |= 0x800  # the name is UTF-8 (Chinese file names open intact)
            archive.writestr(info, data)
    return buffer.getvalue(), manifest
