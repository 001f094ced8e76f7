"""The bureau's city register page: every registered enterprise of its jurisdictions, 速算 by district and
industry with the method and factors of each figure, and 速算 beside the sealed figure of those that file here."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from frontend.register.forms import ConfirmForm, UploadForm
from steward.factors.models import VerificationStatus
from steward.factors.source import FactorSnapshot
from steward.intake.safety import Refusal
from steward.oversight import scope
from steward.register import importer, selectors, staging
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
    breakdown = selectors.totals(year, factors, jurisdiction_codes=shown_codes)
    by_district = breakdown["jurisdiction"]
    context = {
        "year": year,
        "years": years,
        "district": district,
        "districts": Jurisdiction.objects.filter(code__in=codes).order_by("code"),
        "page": page,
        "registered": entries.count(),
        "with_workspace": entries.filter(enterprise__isnull=False).count(),
        "by_district": by_district,
        "by_industry": breakdown["industry"],
        "total_tco2": sum((row.tco2 for row in by_district), 0),
        "carrier_factors": list(year_factors(year, factors).values()),
        "status_labels": dict(VerificationStatus.choices),
        "factor_version": factors.version,
        "comparisons": comparisons,
        "threshold": threshold,
        "batches": FeedBatch.objects.filter(year=year).select_related("imported_by")[:20],
    }
    return render(request, "frontend/register/register.html", context)


@login_required
@access.require_platform_action("import_register_feeds")
def import_feed(request):
    """Upload → dry run (row-level errors, nothing loaded) → confirm the same bytes → one batch."""
    report, confirm = None, None
    form = UploadForm()
    if request.method == "POST" and "sha256" in request.POST:
        confirm = ConfirmForm(request.POST)
        if confirm.is_valid():
            fields = confirm.cleaned_data
            data = staging.load(fields["sha256"])
            if data is None:
                messages.error(request, _("待确认的文件已失效，请重新上传。"))
                return redirect("register_import")
            try:
                batch, created = importer.import_feed(
                    name=fields["name"],
                    data=data,
                    kind=fields["kind"],
                    year=fields["year"],
                    month=fields["month"],
                    source=fields["source"],
                    by=request.user,
                )
            except (Refusal, importer.FeedRefused):
                messages.error(request, _("文件未通过检查，未导入。"))
                return redirect("register_import")
            staging.discard(fields["sha256"])
            text = (
                _("已导入批次 #%(pk)s：%(rows)s 行")
                if created
                else _("该文件已导入过（批次 #%(pk)s，%(rows)s 行）")
            )
            messages.success(request, text % {"pk": batch.pk, "rows": batch.rows_loaded})
            return redirect("register_import")
    elif request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            fields = form.cleaned_data
            upload = fields["file"]
            data = upload.read()
            try:
                report = importer.dry_run(
                    name=upload.name,
                    data=data,
                    kind=fields["kind"],
                    year=fields["year"],
                    month=fields["month"],
                )
            except Refusal as refusal:
                form.add_error("file", refusal.message)
            else:
                if report.ok and report.existing is None:
                    confirm = ConfirmForm(
                        initial={
                            **{k: fields[k] for k in ("kind", "source", "year", "month")},
                            "sha256": staging.stage(data),
                            "name": report.name,
                        }
                    )
    return render(
        request,
        "frontend/register/import.html",
        {
            "form": form,
            "report": report,
            "confirm": confirm,
            "batches": FeedBatch.objects.select_related("imported_by")[:20],
        },
    )
