"""Data intake pages: download the template, upload → dry-run report → confirm, batch history."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from frontend.intake.forms import ConfirmForm, TemplateForm, UploadForm
from steward.carbon.parameter_sets import PARAMETER_SET_TITLES
from steward.carbon.selectors import methodology_for
from steward.documents.responses import XLSX, attachment
from steward.intake import services
from steward.intake.models import ImportBatch
from steward.intake.template import build_template
from tenants.access import require_workspace_action


@require_workspace_action("enter_activity_data")
def intake(request):
    context = {
        "template_form": TemplateForm(),
        "upload_form": UploadForm(),
        "batches": ImportBatch.objects.select_related("imported_by")[:10],
        "parameter_set_title": PARAMETER_SET_TITLES.get(methodology_for(request.enterprise), ""),
    }
    return render(request, "frontend/intake/intake.html", context)


@require_workspace_action("enter_activity_data")
def template(request):
    form = TemplateForm(request.GET)
    if not form.is_valid():
        messages.error(request, _("请选择有效的年份和月份。"))
        return redirect("workspace:intake")
    year, month = form.cleaned_data["year"], form.cleaned_data["month"]
    months = [month] if month else list(range(1, 13))
    data = build_template(enterprise=request.enterprise, year=year, months=months)
    period = f"{year}年{month}月" if month else f"{year}年"
    name = f"活动数据模板_{request.enterprise.slug}_{period}.xlsx"
    return attachment(data, filename=name, content_type=XLSX)


@require_POST
@require_workspace_action("enter_activity_data")
def upload(request):
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择要上传的文件。"))
        return redirect("workspace:intake")
    upload = form.cleaned_data["file"]
    data = upload.read(settings.INTAKE_MAX_BYTES + 1)  # never hold more than the limit in memory
    report = services.dry_run(enterprise=request.enterprise, name=upload.name, data=data)
    confirm_form = ConfirmForm(initial={"sha256": report.sha256, "name": report.name})
    return render(
        request,
        "frontend/intake/report.html",
        {"report": report, "summary": report.summary(), "confirm_form": confirm_form},
    )


@require_POST
@require_workspace_action("enter_activity_data")
def confirm(request):
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        return redirect("workspace:intake")
    try:
        batch = services.confirm(
            enterprise=request.enterprise,
            sha256=form.cleaned_data["sha256"],
            name=form.cleaned_data["name"],
            by=request.user,
        )
    except services.ImportRejected as rejected:
        report = rejected.report
        return render(
            request,
            "frontend/intake/report.html",
            {"report": report, "summary": report.summary(), "confirm_form": None},
            status=400,
        )
    messages.success(request, _("已导入：批次 #%(number)s。") % {"number": batch.pk})
    return redirect("workspace:intake_batch", batch_id=batch.pk)


@require_workspace_action("view_carbon")
def batches(request):
    rows = ImportBatch.objects.select_related("imported_by", "evidence")
    return render(request, "frontend/intake/batches.html", {"batches": rows})


@require_workspace_action("view_carbon")
def batch(request, batch_id: int):
    row = get_object_or_404(ImportBatch.objects.select_related("imported_by", "evidence"), pk=batch_id)
    records = row.records.select_related("record__source")
    return render(request, "frontend/intake/batch.html", {"batch": row, "records": records})
