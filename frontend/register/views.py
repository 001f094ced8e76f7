"""The bureau's city register page: every registered enterprise of its jurisdictions, 速算 by district and
industry with the method and factors of each figure, and 速算 beside the sealed figure of those that file here."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from steward.factors.models import VerificationStatus
from steward.factors.source import FactorSnapshot
from steward.oversight import scope
from steward.register import selectors
from steward.register.carriers import gap_rule
from steward.register.models import FeedBatch, RegisteredEnterprise
from steward.register.quick import year_factors
from tenants import access
from tenants.models import Jurisdiction


def _year(request, years: list[int]) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = years[0] if years else timezone.localdate().year - 1
    return year if 2000 <= year <= 2100 else timezone.localdate().year - 1


@login_required
def city_register(request):
    if not access.can(request.user, "view_bureau_dashboard"):
        raise PermissionDenied("view_bureau_dashboard")
    codes = scope.bureau_codes(request.user)
    if not codes:
        raise PermissionDenied("bureau_only")
    years = selectors.feed_years()
    year = _year(request, years)
    district = request.GET.get("district", "")
    shown_codes = {district} if district in codes else codes
    factors = FactorSnapshot.current()
    entries = (
        RegisteredEnterprise.objects.filter(jurisdiction_id__in=shown_codes)
        .select_related("jurisdiction", "industry", "enterprise")
        .order_by("jurisdiction_id", "name")
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    threshold = gap_rule().threshold
    comparisons = [
        (row, row.gap is not None and abs(row.gap) > threshold)
        for row in selectors.sealed_comparison(year, factors, jurisdiction_codes=shown_codes)
    ]
    by_district = selectors.area_totals(year, factors, jurisdiction_codes=shown_codes)
    context = {
        "year": year,
        "years": years,
        "district": district,
        "districts": Jurisdiction.objects.filter(code__in=codes).order_by("code"),
        "page": page,
        "registered": entries.count(),
        "with_workspace": entries.filter(enterprise__isnull=False).count(),
        "by_district": by_district,
        "by_industry": selectors.area_totals(year, factors, by="industry", jurisdiction_codes=shown_codes),
        "total_tco2": sum((row.tco2 for row in by_district), 0),
        "carrier_factors": list(year_factors(year, factors).values()),
        "status_labels": dict(VerificationStatus.choices),
        "factor_version": factors.version,
        "comparisons": comparisons,
        "threshold": threshold,
        "batches": FeedBatch.objects.filter(year=year).select_related("imported_by")[:20],
    }
    return render(request, "frontend/register/register.html", context)
