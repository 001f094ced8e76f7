"""Annual report PDF: time to render a ~20-page report, and a batch of reports rendered through Celery.

    .venv/bin/python bench/annual_pdf.py [--repeat 5] [--batch 12]

Part 1 needs no database: a synthetic payload with a realistic shape (12 months, several sources with
measured parameters, rule-pack findings) sized to about 20 pages, rendered `repeat` times (the first run
includes registering the embedded font). Part 2 loads the demo world if needed (same as `manage.py demo`),
then sends `batch` tenant tasks that re-render the cement plant's report and compare it with the issued copy
of record: in-process without REDIS_URL, on a real worker with it (start `.venv/bin/celery -A steward worker`).
"""

from __future__ import annotations

import argparse
import statistics
import time

from _django import setup

setup()

from django.conf import settings  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_tenants.utils import schema_context  # noqa: E402

from reports import annual_report, pdf  # noqa: E402
from reports.testing import pdf_pages  # noqa: E402

TARGET_SECONDS = 0.5


def synthetic_payload(sources: int = 10) -> dict:
    codes = [f"S{i:02d}" for i in range(sources)]
    months = []
    for month in range(1, 13):
        lines = [
            {
                "label": f"{code} 燃煤燃烧",
                "tco2": "1234.56",
                "inputs": [
                    {"name": "consumption", "value": "9800", "unit": "t", "origin": "measured"},
                    {"name": "ncv", "value": "22.1", "unit": "GJ/t", "origin": "measured"},
                    {
                        "name": "carbon_per_heat",
                        "value": "0.02618",
                        "unit": "tC/GJ",
                        "origin": "factor",
                        "source": "指南附录表A.1",
                        "row_id": "coal-bituminous",
                    },
                ],
            }
            for code in codes
        ]
        months.append(
            {
                "month": month,
                "filing_version": 1,
                "seal": "ab" * 32,
                "locked_at": "",
                "run": month,
                "methodology_version": "2022",
                "factor_set": "2024.1",
                "total_tco2": "9876.54",
                "lines": lines,
            }
        )
    return {
        "year": 2025,
        "version": 1,
        "enterprise": {
            "name": "湖州基准测试水泥有限公司",
            "credit_code": "91330502MA2B000001",
            "address": "湖州市吴兴区",
            "jurisdiction": "吴兴区",
            "industry": "3011 水泥制造",
        },
        "methodology": "cn_cement_clinker",
        "sources": [
            {
                "code": c,
                "name": f"{c} 回转窑烟煤",
                "kind": "化石燃料燃烧",
                "facility": "5000t/d 熟料生产线",
                "unit": "t",
            }
            for c in codes
        ],
        "months": months,
        "activity": [
            {
                "month": m,
                "source": c,
                "version": 1,
                "quantity": "9800",
                "unit": "t",
                "data_source": "inventory_ledger",
                "parameters": [{"name": "ncv", "value": "22.1", "unit": "GJ/t", "evidence": "cd" * 32}],
            }
            for m in range(1, 13)
            for c in codes
        ],
        "lines": [
            {"key": c, "label": f"{c} 燃煤燃烧", "category": "化石燃料燃烧", "tco2": "14814.72"}
            for c in codes
        ],
        "outputs": {"clinker_output": {"value": "1728000", "unit": "t"}},
        "intensities": [
            {
                "kind": "clinker_output",
                "label": "单位熟料碳排放强度",
                "unit": "tCO2/t",
                "denominator": "1728000",
                "denominator_unit": "t",
                "value": "0.0686",
            }
        ],
        "total_tco2": "118517.76",
        "quality": {
            "rule_pack_versions": ["dq-2025.1"],
            "findings": [
                {
                    "month": m,
                    "rule_id": "DQ-014",
                    "severity": "warning",
                    "item": "S01",
                    "message": "环比变化超过 30%",
                    "acknowledgement": "检修停窑",
                    "waiver_reason": "",
                }
                for m in range(1, 13)
            ],
        },
    }


def render_timings(repeat: int) -> None:
    payload = synthetic_payload()
    started = time.perf_counter()
    pdf.register_fonts()
    font_seconds = time.perf_counter() - started
    timings, content = [], b""
    for _ in range(repeat):
        started = time.perf_counter()
        content = annual_report.render(payload, payload_sha256="0" * 64)
        timings.append(time.perf_counter() - started)
    median = statistics.median(timings)
    print(f"font registration (once per process): {font_seconds:6.3f} s")
    print(f"annual report PDF: {len(pdf_pages(content))} pages, {len(content) / 1024:.0f} KiB")
    print(
        f"render time, median of {repeat}:        {median:6.3f} s  (min {min(timings):.3f}, max {max(timings):.3f})"
    )
    print(
        f"target {TARGET_SECONDS} s:                       {'met' if median <= TARGET_SECONDS else 'MISSED'} "
        f"({median / TARGET_SECONDS:.2f}x of target)"
    )


def celery_batch(batch: int) -> None:
    from django.core.management import call_command

    from steward.annual.models import AnnualReport
    from steward.annual.tasks import rerender_report
    from steward.demo import load_demo_world
    from steward.demo.annual import load_demo_annual
    from steward.demo.carbon import load_demo_carbon
    from tenants.models import Enterprise

    call_command("setup_platform", verbosity=0)  # idempotent, like `manage.py demo`
    enterprise = Enterprise.objects.filter(slug="wx-cement").first()
    if enterprise is None or not _has_report(enterprise.schema_name):
        load_demo_world()
        load_demo_carbon()
        load_demo_annual()
    schema = Enterprise.objects.get(slug="wx-cement").schema_name
    with schema_context(schema):
        report = AnnualReport.objects.filter(year=timezone.localdate().year - 1).order_by("-version").first()
    mode = (
        "Celery worker via " + settings.REDIS_URL
        if settings.REDIS_URL
        else "eager (in-process, no REDIS_URL)"
    )
    started = time.perf_counter()
    results = [rerender_report.delay(tenant_schema=schema, report_id=report.pk) for _ in range(batch)]
    answers = [result.get(timeout=600) for result in results]
    wall = time.perf_counter() - started
    renders = [answer["render_seconds"] for answer in answers]
    print(
        f"batch through Celery ({mode}): {batch} reports in {wall:.2f} s "
        f"({batch / wall:.1f} reports/s; median render {statistics.median(renders):.3f} s)"
    )
    matches = answers[0]["matches_issued"]
    issued = "none issued yet (the report is not signed)" if matches is None else matches
    print(
        f"identical bytes every time: {len({a['sha256'] for a in answers}) == 1}; "
        f"matches the issued copy of record: {issued}"
    )


def _has_report(schema: str) -> bool:
    from steward.annual.models import AnnualReport

    with schema_context(schema):
        return AnnualReport.objects.exists()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--batch", type=int, default=12)
    options = parser.parse_args()
    render_timings(options.repeat)
    celery_batch(options.batch)


if __name__ == "__main__":
    main()
