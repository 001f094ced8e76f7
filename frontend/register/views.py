"""The bureau's city register page: every registered enterprise of its jurisdictions, 速算 by district and
industry with the method and factors of each figure, and 速算 beside the sealed figure of those that file here."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from frontend.maps import map_chart
from frontend.register.forms import ConfirmForm, UploadForm
from steward.compliance.grading import GRADE_COLOURS
from steward.factors.models import VerificationStatus
from steward.factors.source import FactorSnapshot
from steward.intake.safety import Refusal
from steward.oversight import scope
from steward.oversight.district_map import DistrictGrades
from steward.register import importer, selectors, staging
from steward.register.carriers import gap_rule
from steward.register.models import FeedBatch, GradingRun, RegisteredEnterprise, RegisterGrade
from steward.register.quick import year_factors
from tenants import access
from tenants.models import Industry, Jurisdiction


def _year(request, years: list[int]) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = years[0] if years else timezone.localdate().year - 1
    return year if 2000 <= year <= 2100 else timezone.localdate().year - 1


MAP_MEASURES = ("tco2", "grade")  # the register has no filing deadlines: no on-time rate


def _map_rows(by_district, grades: dict[str, dict[str, int]]) -> list[dict]:
    """One row per district for the map: its 速算 and its enterprises' grades (every register enterprise)."""
    rows = {row.code: {"jurisdiction_id": row.code, "tco2": row.tco2} for row in by_district}
    for code in grades:
        rows.setdefault(code, {"jurisdiction_id": code, "tco2": None})
    for code, row in rows.items():
        row["grades"] = DistrictGrades(counts=dict(grades.get(code, {})))
    return [rows[code] for code in sorted(rows)]


def _bureau_codes(request) -> set[str]:
    if not access.can(request.user, "view_bureau_dashboard"):
        raise PermissionDenied("view_bureau_dashboard")
    codes = scope.bureau_codes(request.user)
    if not codes:
        raise PermissionDenied("bureau_only")
    return codes


def _grade_chart(distribution) -> dict:
    """What charts.js `grades` draws: every grade 1–5 (zero included) in the code's colours."""
    counts = {row.grade: row.enterprises for row in distribution if row.grade is not None}
    return {
        "labels": [_("%(grade)s级") % {"grade": grade} for grade in range(1, 6)],
        "data": [counts.get(grade, 0) for grade in range(1, 6)],
        "colours": [GRADE_COLOURS[str(grade)][1] for grade in range(1, 6)],
    }


@login_required
def city_register(request):
    codes = _bureau_codes(request)
    years = selectors.feed_years()
    year = _year(request, years)
    district = request.GET.get("district", "")
    industry = request.GET.get("industry", "")
    grade = request.GET.get("grade", "")
    shown_codes = {district} if district in codes else codes
    industries = Industry.objects.filter(
        code__in=RegisteredEnterprise.objects.filter(jurisdiction_id__in=codes).values("industry_id")
    ).order_by("code")
    if industry and not industries.filter(code=industry).exists():
        industry = ""
    grade = grade if grade in selectors.GRADE_FILTERS else ""
    factors = FactorSnapshot.current()
    run_id = selectors.latest_run_id(year)
    entries = selectors.register_entries(
        shown_codes, run_id=run_id, industry=industry or None, grade=grade or None
    ).select_related("jurisdiction", "industry", "enterprise")
    # one pass over the newest run: its grades per district, the year's 速算 by area, the grade filter's count
    figures = (
        selectors.run_figures(run_id, jurisdiction_codes=shown_codes, industry=industry or None)
        if run_id
        else None
    )
    paginator = Paginator(entries, 50)
    if grade and figures is not None:
        # the entries the grade filter lists, counted from the run's tally: no COUNT over a join
        paginator.count = figures.entries_with(grade)
    page = paginator.get_page(request.GET.get("page"))
    grades = (
        selectors.latest_grades([entry.pk for entry in page], year=year, graded_only=False) if run_id else {}
    )
    page_rows = [(entry, grades.get(entry.pk)) for entry in page]
    distribution = figures.distribution if figures else []
    threshold = gap_rule().threshold
    comparisons = [
        (row, row.gap is not None and abs(row.gap) > threshold)
        for row in selectors.sealed_comparison(year, factors, jurisdiction_codes=shown_codes)
    ]
    run = GradingRun.objects.filter(pk=run_id).select_related("trigger").first() if run_id else None
    # The page never sums the year's feeds (seconds at 50,000 enterprises): it shows the newest run's figures
    # and says what the run has not read yet; `register.regrade_stale` regrades such a year.
    lag = selectors.run_lag(run, factors) if run is not None else None
    if figures is not None and not lag.no_year_figures:
        breakdown = figures.totals
    else:
        breakdown = {"jurisdiction": [], "industry": []}
    by_district = breakdown["jurisdiction"]
    query = {"year": year, "district": district, "industry": industry, "grade": grade}
    context = {
        "year": year,
        "years": years,
        "district": district,
        "industry": industry,
        "grade": grade,
        "query": "&".join(f"{key}={value}" for key, value in query.items()),
        "districts": Jurisdiction.objects.filter(code__in=codes).order_by("code"),
        "industries": industries,
        "grade_options": [(str(n), _("%(grade)s级") % {"grade": n}) for n in range(1, 6)]
        + [("none", _("未评价"))],
        "page": page,
        "page_rows": page_rows,
        "registered": page.paginator.count,
        "with_workspace": entries.filter(enterprise__isnull=False).count(),
        "by_district": by_district,
        "by_industry": breakdown["industry"],
        "total_tco2": sum((row.tco2 for row in by_district), 0),
        "carrier_factors": list(year_factors(year, factors).values()),
        "status_labels": dict(VerificationStatus.choices),
        "grade_status_labels": dict(RegisterGrade.Status.choices),
        "factor_version": factors.version,
        "comparisons": comparisons,
        "threshold": threshold,
        "batches": FeedBatch.objects.filter(year=year).select_related("imported_by")[:20],
        "run": run,
        "lag": lag,
        "unread_batches": len(lag.batches) if lag else 0,
        "unread_batch_numbers": _("、").join(f"#{batch.pk}" for batch in lag.batches) if lag else "",
        "distribution": [row for row in distribution if row.grade is not None],
        "ungraded": [row for row in distribution if row.grade is None],
        "charts": {
            "grades": _grade_chart(distribution),
            "map": map_chart(
                _map_rows(by_district, figures.district_grades if figures else {}),
                selected=district if district in codes else "",
                codes=codes,
                measures=MAP_MEASURES,
                labels={"tco2": _("速算排放量")},
            ),
        },
    }
    context["map_measures"] = [
        (key, context["charts"]["map"]["measures"][key]["label"]) for key in MAP_MEASURES
    ]
    return render(request, "frontend/register/register.html", context)


@login_required
def register_entry(request, registered_id: int):
    """One register enterprise: its 碳效码 history (every year, every grading run) and, where it files here,
    its workspace's own grade beside the register's. A bureau sees only entries of its jurisdictions."""
    codes = _bureau_codes(request)
    entry = get_object_or_404(
        RegisteredEnterprise.objects.select_related("jurisdiction", "industry", "enterprise"),
        pk=registered_id,
    )
    if entry.jurisdiction_id not in codes:
        raise Http404("outside the bureau's jurisdiction")
    history = selectors.grade_history(entry)
    years = sorted({row.year for row in history}, reverse=True)
    own = {}
    if entry.enterprise_id:
        for year in years:
            own[year] = selectors.workspace_grades([entry.enterprise_id], year).get(entry.enterprise_id)
    newest_run = {}
    for row in history:
        newest_run.setdefault(row.year, row.run_id)
    current = [(row, own.get(row.year)) for row in history if newest_run[row.year] == row.run_id]
    runs = GradingRun.objects.in_bulk({row.run_id for row in history})
    return render(
        request,
        "frontend/register/entry.html",
        {
            "entry": entry,
            "current": current,
            "history": [(row, runs[row.run_id]) for row in history],
            "grade_status_labels": dict(RegisterGrade.Status.choices),
        },
    )


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
