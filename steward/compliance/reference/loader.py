"""Publish the compliance reference tables (steward/compliance/data/ and the grading table shipped with the
factor library) as one immutable release. Loading unchanged files again publishes nothing."""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from steward.compliance.reference.models import (
    AllocationBenchmark,
    AllocationRule,
    CompliancePolicy,
    GradingBand,
    ReferenceRelease,
)
from steward.factors.loader import DATA_DIR as FACTOR_DATA_DIR
from steward.factors.loader import read_rows

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
BENCHMARKS = DATA_DIR / "allocation_benchmarks_cn_power.csv"
POLICIES = DATA_DIR / "compliance_policies_cn.csv"
ALLOCATION_RULES = DATA_DIR / "allocation_rules_cn.csv"
GRADING = FACTOR_DATA_DIR / "carbon_efficiency_grading_zj.csv"
GRADING_SOURCE = "湖州《规上工业企业碳效等级评价方法》；DB33/T 1347-2023"


def _decimal(text: str) -> Decimal | None:
    return Decimal(text) if text.strip() else None


def _status(text: str) -> str:
    return "verified" if text.strip().startswith("verified") else "to_verify"


def _benchmarks(release: ReferenceRelease, path: Path) -> list[AllocationBenchmark]:
    return [
        AllocationBenchmark(
            release=release,
            benchmark_set=row["benchmark_set"],
            first_year=int(row["first_year"]),
            last_year=int(row["last_year"]),
            unit_category=row["unit_category"],
            label=row["label_zh"],
            supply_benchmark=Decimal(row["supply_benchmark_tco2_per_mwh"]),
            heat_benchmark=Decimal(row["heat_benchmark_tco2_per_gj"]),
            is_gas=row["is_gas"] == "true",
            source_document=row["source_document"],
            status=_status(row["status"]),
        )
        for row in read_rows(path)
    ]


def _policies(release: ReferenceRelease, path: Path) -> list[CompliancePolicy]:
    return [
        CompliancePolicy(
            release=release,
            sector=row["sector"],
            compliance_year=int(row["compliance_year"]),
            emissions_scope=row["emissions_scope"],
            output_basis=row["output_basis"],
            deficit_cap_share=_decimal(row["deficit_cap_share"]),
            gas_capped_at_allocation=row["gas_capped_at_allocation"] == "true",
            ccer_cap_share=Decimal(row["ccer_cap_share"]),
            ccer_earliest_issue_year=int(row["ccer_earliest_issue_year"])
            if row["ccer_earliest_issue_year"]
            else None,
            surrender_deadline=datetime.date.fromisoformat(row["surrender_deadline"]),
            source_document=row["source_document"],
            status=_status(row["status"]),
            note=row["note"],
        )
        for row in read_rows(path)
    ]


def _allocation_rules(release: ReferenceRelease, path: Path) -> list[AllocationRule]:
    return [
        AllocationRule(
            release=release,
            sector=row["sector"],
            year=int(row["year"]),
            stage=row["stage"],
            line_category=row["line_category"],
            label=row["label_zh"],
            method=row["method"],
            share=_decimal(row["share"]),
            output_unit=row["output_unit"],
            source_document=row["source_document"],
            status=_status(row["status"]),
            note=row["note"],
        )
        for row in read_rows(path)
    ]


def _grading(release: ReferenceRelease, path: Path) -> list[GradingBand]:
    bands = []
    for row in read_rows(path):
        threshold_status = _status(row["status"])
        colour_status = "to_verify" if "colour to_verify" in row["status"] else threshold_status
        bands.append(
            GradingBand(
                release=release,
                kind=row["kind"],
                label=row["label"],
                lower_exclusive=_decimal(row["lower_exclusive"]),
                upper_inclusive=_decimal(row["upper_inclusive"]),
                grade=int(row["grade"]) if row["grade"].strip() else None,
                colour=row["colour"],
                threshold_status=threshold_status,
                colour_status=colour_status,
                source_document=GRADING_SOURCE,
            )
        )
    return bands


def content_hash(*paths: Path) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()


@transaction.atomic
def load_compliance_reference(
    *,
    benchmarks: Path = BENCHMARKS,
    policies: Path = POLICIES,
    grading: Path = GRADING,
    allocation_rules: Path = ALLOCATION_RULES,
) -> tuple[ReferenceRelease, bool]:
    """Publish the four tables as a new release unless identical content is already published."""
    sha = content_hash(benchmarks, policies, grading, allocation_rules)
    existing = ReferenceRelease.objects.filter(content_sha256=sha).first()
    if existing:
        return existing, False
    release = ReferenceRelease.objects.create(
        version=f"{timezone.localdate():%Y.%m.%d}-{sha[:8]}", content_sha256=sha
    )
    AllocationBenchmark.objects.bulk_create(_benchmarks(release, benchmarks))
    CompliancePolicy.objects.bulk_create(_policies(release, policies))
    GradingBand.objects.bulk_create(_grading(release, grading))
    AllocationRule.objects.bulk_create(_allocation_rules(release, allocation_rules))
    return release, True
