"""Environmental steward pages: permit and outlets, CEMS import (dry run → confirm), exceedances and amounts,
execution reports with review, and the fused inventory. Views stay thin: the work is in steward.pollution."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from frontend.pollution.forms import (
    ManualResultForm,
    PermitChangeForm,
)
from reports.fused_inventory import inventory_xlsx
from steward.carbon.models import EmissionSource
from steward.documents.responses import XLSX, attachment
from steward.edge.periods import working_year
from steward.formatting import plain
from steward.intake.numbers import parse_decimal
from steward.pollution import deadlines, imports, inventory, services
from steward.pollution.accounting import monitored, outlet_pollutants, quarter_capture
from steward.pollution.compliance import cumulative, exceedances
from steward.pollution.models import (
    CemsCertification,
    ManualMonitoring,
    MonitoringImport,
    Permit,
    ReportStatus,
    SourceOutlet,
)
from steward.pollution.reconciliation import current_declarations, reconcile
from steward.pollution.selectors import execution_reports_visible_to, month_results_visible_to
from steward.pollution.services import current_permit
from tenants.access import require_workspace_action
from workflows import execution_report as execution


def _last_month() -> datetime.date:
    return timezone.localdate().replace(day=1) - datetime.timedelta(days=1)


def _permit_or_404() -> Permit:
    permit = current_permit()
    if permit is None:
        raise Http404("no permit")
    return permit


def _no_permit(request, title):
    """The page a permit-based section shows before any permit is registered: what it needs, and where."""
    return render(request, "frontend/pollution/no_permit.html", {"title": title})


@require_workspace_action("view_pollution")
def permit_page(request):
    permit = current_permit()
    change_form = manual_form = None
    if permit is not None and request.workspace_access.allows("manage_permit"):
        posted = request.POST if request.method == "POST" else None
        initial = {
            "valid_from": permit.valid_from,
            "valid_to": permit.valid_to,
            "report_frequencies": permit.report_frequencies,
        } | {f"amount_{a.pollutant}": plain(a.tonnes_per_year) for a in permit.permitted_amounts.all()}
        change_form = PermitChangeForm(posted if "change_permit" in request.POST else None, initial=initial)
        manual_form = ManualResultForm(
            posted if "manual_result" in request.POST else None,
            request.FILES or None,
            outlets=permit.outlets.all(),
        )
        if request.method == "POST" and _save_permit_forms(request, permit, change_form, manual_form):
            return redirect("workspace:pollution")
    elif request.method == "POST":
        raise PermissionDenied("manage_permit")
    context = {
        "permit": permit,
        "versions": Permit.objects.order_by("-version"),
        "outlets": permit.outlets.prefetch_related("limits") if permit else [],
        "links": SourceOutlet.objects.select_related("source").order_by("outlet_code", "source__code"),
        "certifications": CemsCertification.objects.order_by("outlet_code", "-valid_to"),
        "manual_results": ManualMonitoring.objects.select_related("evidence")[:20],
        "change_form": change_form,
        "manual_form": manual_form,
        "last": _last_month(),
    }
    return render(request, "frontend/pollution/permit.html", context)


def _save_permit_forms(request, permit, change_form, manual_form) -> bool:
    try:
        if "change_permit" in request.POST and change_form.is_valid():
            data = change_form.cleaned_data
            spec = services.spec_from(
                permit,
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
                report_frequencies=data["report_frequencies"],
                permitted_amounts=change_form.permitted_amounts(),
            )
            new = services.change_permit(permit=permit, spec=spec, reason=data["reason"], by=request.user)
            messages.success(request, _("已登记许可证第%(n)s版。") % {"n": new.version})
            return True
        if "manual_result" in request.POST and manual_form.is_valid():
            data = manual_form.cleaned_data
            services.record_manual_result(
                outlet_code=data["outlet_code"],
                pollutant=data["pollutant"],
                sampled_on=data["sampled_on"],
                concentration=data["concentration"],
                flow=data["flow"],
                report_number=data["report_number"],
                evidence_upload=data["file"],
                by=request.user,
            )
            messages.success(request, _("已登记手工监测结果。"))
            return True
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return False


@require_workspace_action("view_pollution")
def monitoring_import(request):
    """Dry run: the file is checked and, when clean, kept in the workspace's staging folder (never in the
    session); the confirmation form carries only its SHA-256, the outlet and the interval."""
    permit = current_permit()
    if permit is None:
        if request.method == "POST":
            raise Http404("no permit")
        return _no_permit(request, _("自动监测数据导入"))
    preview = None
    if request.method == "POST":
        if not request.workspace_access.allows("import_monitoring"):
            raise PermissionDenied("import_monitoring")
        upload = request.FILES.get("file")
        outlet = permit.outlets.filter(code=request.POST.get("outlet", "")).first()
        interval = request.POST.get("interval", "hour")
        if upload is None or outlet is None:
            messages.error(request, _("请选择排放口并上传文件。"))
        elif upload.size > settings.INTAKE_MAX_BYTES:  # refused before the bytes are read
            messages.error(
                request,
                _("文件过大：%(size)s 字节，上限为 %(limit)s 字节。")
                % {"size": upload.size, "limit": settings.INTAKE_MAX_BYTES},
            )
        else:
            try:
                preview = imports.dry_run(
                    data=upload.read(), file_name=upload.name, outlet=outlet, interval=interval, keep=True
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
    context = {
        "permit": permit,
        "outlets": permit.outlets.all(),
        "preview": preview,
        "batches": MonitoringImport.objects.select_related("imported_by")[:20],
    }
    return render(request, "frontend/pollution/import.html", context)


@require_POST
@require_workspace_action("import_monitoring")
def monitoring_confirm(request):
    outlet = get_object_or_404(_permit_or_404().outlets, code=request.POST.get("outlet", ""))
    try:
        batch, created = imports.confirm_staged(
            sha256=request.POST.get("sha256", ""),
            file_name=request.POST.get("name", ""),
            outlet=outlet,
            interval=request.POST.get("interval", ""),
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("workspace:pollution_import")
    if created:
        messages.success(request, _("已导入 %(n)s 个时段的数据。") % {"n": batch.row_count})
    else:
        messages.info(
            request, _("该文件已于 %(at)s 导入，未重复写入。") % {"at": f"{batch.imported_at:%Y-%m-%d %H:%M}"}
        )
    first = batch.readings.order_by("starts_at").first()
    month = timezone.localtime(first.starts_at) if first else _last_month()
    return redirect("workspace:pollution_month", year=month.year, month=month.month)


@require_workspace_action("view_pollution")
def month_page(request, year: int, month: int):
    permit = current_permit()
    if permit is None:
        return _no_permit(request, _("排放量与超标"))
    context = {
        "year": year,
        "month": month,
        "permit": permit,
        "results": month_results_visible_to(request.workspace_access, permit, year, month),
        "exceedances": exceedances(permit, year, month),
        "cumulative": cumulative(permit, year, month),
        "captures": [
            (outlet.code, pollutant, quarter_capture(outlet.code, pollutant, year, month))
            for outlet in permit.outlets.all()
            for pollutant in outlet_pollutants(outlet)
            if monitored(outlet.code, pollutant, year, month)
        ],
    }
    return render(request, "frontend/pollution/month.html", context)


def _visible_reports(request):
    return execution_reports_visible_to(request.workspace_access)


@require_workspace_action("view_pollution")
def reports_page(request, year: int | None = None):
    year = year or working_year()
    permit = current_permit()
    if permit is None:
        return _no_permit(request, _("执行报告"))
    existing = {
        (r.frequency, r.period): r for r in _visible_reports(request).filter(year=year).order_by("version")
    }
    rows = [
        {
            "frequency": frequency,
            "period": period,
            "label": deadlines.shown_period_label(frequency, year, period),
            "deadline": deadlines.execution_report_deadline(frequency, year, period),
            "report": existing.get((frequency, period)),
        }
        for frequency in deadlines.PERIODS
        if frequency in permit.report_frequencies
        for period in range(1, deadlines.PERIODS[frequency] + 1)
    ]
    context = {
        "year": year,
        "rows": rows,
        "today": timezone.localdate(),
        "may_file": request.workspace_access.allows("file_execution_report"),
    }
    return render(request, "frontend/pollution/reports.html", context)


@require_workspace_action("view_pollution")
def report_page(request, frequency: str, year: int, period: int):
    try:
        label = deadlines.shown_period_label(frequency, year, period)
    except ValueError as error:
        raise Http404(str(error)) from error
    report = (
        _visible_reports(request)
        .filter(frequency=frequency, year=year, period=period)
        .order_by("-version")
        .first()
    )
    grant = request.workspace_access
    context = {
        "frequency": frequency,
        "year": year,
        "period": period,
        "label": label,
        "report": report,
        "declarations": current_declarations(report).values() if report else [],
        "differences": reconcile(report) if report else [],
        "fuel_sources": EmissionSource.objects.filter(kind=EmissionSource.Kind.FUEL_COMBUSTION),
        "months": list(deadlines.period_months(frequency, period)),
        "actions": execution.available_actions(report, grant, request.user),
        "Status": ReportStatus,
    }
    return render(request, "frontend/pollution/report.html", context)


@require_POST
@require_workspace_action("view_pollution")
def report_action(request, frequency: str, year: int, period: int, action: str):
    grant, user = request.workspace_access, request.user
    report = execution.current_report(frequency, year, period)
    try:
        if action == "open":
            execution.open_report(frequency=frequency, year=year, period=period, by=user, grant=grant)
        elif report is None:
            raise ValidationError(_("该期执行报告尚未创建。"), code="no_report")
        elif action == "declare":
            source = get_object_or_404(EmissionSource, pk=request.POST.get("source"))
            quantity = parse_decimal(request.POST.get("quantity"))
            if quantity is None:
                raise ValidationError(_("请填写用量。"), code="quantity")
            month = int(request.POST.get("month", "0"))
            execution.declare_fuel(
                report=report,
                source=source,
                month=month,
                quantity=quantity,
                unit=request.POST.get("unit", source.unit),
                by=user,
                grant=grant,
            )
        elif action == "submit":
            execution.submit(report=report, by=user, grant=grant)
            messages.success(request, _("执行报告已提交审核。"))
        elif action == "approve":
            execution.approve(report=report, enterprise=request.enterprise, by=user, grant=grant)
            messages.success(request, _("执行报告已审核通过，存档件已生成。"))
        elif action == "return":
            execution.return_for_changes(
                report=report, comment=request.POST.get("comment", ""), by=user, grant=grant
            )
            messages.success(request, _("已退回企业修改。"))
        else:
            raise ValidationError(_("未知操作。"), code="unknown_action")
    except ValueError as error:
        messages.error(request, str(error))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("workspace:pollution_report", frequency=frequency, year=year, period=period)


@require_workspace_action("view_fused_inventory")
def inventory_page(request, year: int | None = None):
    year = year or working_year()
    today = timezone.localdate()
    months = list(range(1, 13 if year < today.year else today.month))
    built = inventory.for_grant(request.workspace_access, current_permit(), year, months)
    if request.GET.get("format") == "xlsx":
        data = inventory_xlsx(built, request.enterprise.name_zh)
        return attachment(data, filename=f"融合清单-{year}.xlsx", content_type=XLSX)
    totals = [(p, built.row_total(p), built.pollutant_totals.get(p)) for p in built.pollutants]
    context = {"year": year, "inventory": built, "totals": totals}
    return render(request, "frontend/pollution/inventory.html", context)
