"""Carbon accounting pages inside a workspace: sources, a month's figures, results with their trace."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from frontend.carbon.forms import (
    ActivityForm,
    ElectricityBillForm,
    FacilityForm,
    FuelStockForm,
    LabReportForm,
    OutputForm,
    RecomputeForm,
    SourceForm,
)
from steward.carbon import accounting, freeze, ledgers, selectors, services
from steward.carbon.models import CalculationRun, ElectricityBill, EmissionSource, Facility, FuelStockRecord
from steward.carbon.parameter_sets import PARAMETER_SET_TITLES, QUANTITY_LABELS, parameter_set
from steward.carbon.services import ParameterInput
from steward.edge.periods import working_year
from steward.filing import progress
from steward.filing.selectors import comments_by_item
from steward.filing.services import current_filing
from steward.formatting import plain, quantity
from steward.quality.pack import check_month, pack_version
from steward.quality.selectors import month_context
from tenants.access import require_workspace_action


def _allow(request, action: str) -> None:
    if not request.workspace_access.allows(action):
        raise PermissionDenied(action)


def _report(request, error: ValidationError, form=None, *, inline: bool = False) -> None:
    """A service's refusal beside the field it concerns (or the form's top); as a message otherwise."""
    if form is not None and hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    elif form is not None and inline:
        form.add_error(None, error)
    else:
        messages.error(request, " ".join(error.messages))


@require_workspace_action("view_carbon")
def overview(request, year: int | None = None):
    year = year or working_year()
    facility_form = FacilityForm(request.POST if "add_facility" in request.POST else None, prefix="facility")
    source_form = SourceForm(request.POST if "add_source" in request.POST else None, prefix="source")
    if request.method == "POST":
        _allow(request, "manage_sources")
        form = facility_form if "add_facility" in request.POST else source_form
        if form.is_valid():
            try:
                if form is facility_form:
                    services.add_facility(**form.cleaned_data)
                else:
                    services.add_source(**form.cleaned_data)
            except ValidationError as error:
                _report(request, error, form)
            else:
                messages.success(request, _("已保存。"))
                return redirect("workspace:carbon_year", year=year)
    context = {
        "year": year,
        "facilities": Facility.objects.prefetch_related("sources"),
        "months": selectors.year_overview(year),
        "source_count": EmissionSource.objects.count(),
        "methodology": selectors.methodology_for(request.enterprise),
        "facility_form": facility_form,
        "source_form": source_form,
    }
    return render(request, "frontend/carbon/overview.html", context)


def _parameters(cleaned: dict) -> list[ParameterInput]:
    report = cleaned.get("lab_report")
    parameters = []
    if cleaned.get("ncv") is not None:
        parameters.append(ParameterInput("ncv", cleaned["ncv"], cleaned.get("ncv_unit") or "GJ/t", report))
    units = (
        {name: "%" for name in ActivityForm.PERCENT_FIELDS}
        | {name: "t" for name in ActivityForm.TONNE_FIELDS}
        | {name: cleaned.get("unit") or "MWh" for name in ActivityForm.ACTIVITY_UNIT_FIELDS}
        | ActivityForm.fixed_units()
    )
    for name, unit in units.items():
        if cleaned.get(name) is not None:
            cited = report if name in services.LAB_PARAMETERS else None
            parameters.append(ParameterInput(name, cleaned[name], unit, cited))
    return parameters


def _save_activity(request, source: EmissionSource, year: int, month: int, form: ActivityForm) -> str:
    data = form.cleaned_data
    return services.enter_activity(
        source=source,
        year=year,
        month=month,
        quantity=data["quantity"],
        unit=data["unit"],
        data_source=data["data_source"],
        parameters=_parameters(data),
        reason=data["reason"],
        expected_version=data.get("version"),
        by=request.user,
    ).action


@require_workspace_action("view_carbon")
def month(request, year: int, month: int):
    forms_by_source = {}
    output_form = OutputForm(request.POST if "save_output" in request.POST else None, prefix="output")
    lab_form = LabReportForm(
        request.POST if "add_lab_report" in request.POST else None,
        request.FILES if "add_lab_report" in request.POST else None,
        prefix="lab",
    )
    ledger_forms = {
        "save_stock": FuelStockForm(*_bound(request, "save_stock"), prefix="stock"),
        "save_bill": ElectricityBillForm(*_bound(request, "save_bill"), prefix="bill"),
    }
    if request.method == "POST":
        _allow(request, "enter_activity_data")
        ledger = next((name for name in ledger_forms if name in request.POST), None)
        if ledger:
            if _save_ledger(request, ledger, ledger_forms[ledger], year, month):
                return redirect("workspace:carbon_month", year=year, month=month)
        elif "add_lab_report" in request.POST:
            if lab_form.is_valid():
                data = dict(lab_form.cleaned_data)
                try:
                    services.add_lab_report(upload=data.pop("file"), by=request.user, **data)
                except ValidationError as error:
                    _report(request, error, lab_form)
                else:
                    messages.success(request, _("检测报告已登记。"))
                    return redirect("workspace:carbon_month", year=year, month=month)
        elif "save_output" in request.POST:
            if output_form.is_valid():
                try:
                    services.record_output(
                        year=year, month=month, entered_by=request.user, **output_form.cleaned_data
                    )
                except ValidationError as error:
                    _report(request, error, output_form)
                else:
                    return redirect("workspace:carbon_month", year=year, month=month)
        else:
            source = get_object_or_404(EmissionSource, pk=request.POST.get("source"))
            form = ActivityForm(request.POST, prefix=f"s{source.pk}")
            forms_by_source[source.pk] = form
            saved = None
            if form.is_valid():
                try:
                    action = _save_activity(request, source, year, month, form)
                except ValidationError as error:
                    _report(request, error, form, inline=bool(request.htmx))
                else:
                    saved = (
                        _("%(source)s 的数据没有变化，未新增版本。")
                        if action == "unchanged"
                        else _("已保存：%(source)s")
                    ) % {"source": source.name}
                    if not request.htmx:
                        (messages.info if action == "unchanged" else messages.success)(request, saved)
                        return redirect("workspace:carbon_month", year=year, month=month)
                    forms_by_source.pop(source.pk)  # saved: the row shows the new version's form
            if request.htmx:  # saved in place: the row, the steps and the checks, no page load
                context = month_page_context(request, year, month, forms_by_source)
                row = next(row for row in context["rows"] if row["source"].pk == source.pk)
                return render(
                    request, "frontend/carbon/_row_saved.html", {**context, "row": row, "saved": saved}
                )
    forms = {"output_form": output_form, "lab_form": lab_form, "ledger_forms": ledger_forms}
    context = month_page_context(request, year, month, forms_by_source, forms)
    return render(request, "frontend/carbon/month.html", context)


def month_page_context(request, year: int, month: int, forms_by_source=None, forms=None, errors=None) -> dict:
    """Everything the guided month page shows: the steps, each source with last month and the same month
    last year beside it, the live findings with what was done about them, and the submit panel."""
    forms_by_source = forms_by_source or {}
    forms = forms or {}
    records = selectors.current_records(year, month)
    before = selectors.current_records(*_previous_month(year, month))
    last_year = selectors.current_records(year - 1, month)
    comments = comments_by_item(year, month)
    rows = []
    sources = list(EmissionSource.objects.select_related("facility"))
    methodology = selectors.methodology_for(request.enterprise)
    for source in sources:
        record = records.get(source.pk)
        form = forms_by_source.get(source.pk) or ActivityForm(
            prefix=f"s{source.pk}", initial=_initial(source, record, before.get(source.pk))
        )
        if source.kind in QUANTITY_LABELS:  # a process source's record is its output or material
            form.fields["quantity"].label = QUANTITY_LABELS[source.kind]
        if record is None and source.pk in before:  # a blank month shows last month's figure as a hint
            hint = _("上月 %(value)s") % {
                "value": quantity(before[source.pk].quantity, before[source.pk].unit)
            }
            form.fields["quantity"].widget.attrs["placeholder"] = hint
        rows.append(
            {
                "source": source,
                "record": record,
                "previous": before.get(source.pk),
                "last_year": last_year.get(source.pk),
                "form": form,
                "parameter_fields": form.parameter_fields(parameter_set(methodology, source.kind)),
                "lab_cited": any(spec.lab for spec in parameter_set(methodology, source.kind)),
                "comments": comments.get(source.code, []),
            }
        )
    run = selectors.current_run(year, month)
    quality = month_context(request.enterprise, year, month)
    findings = check_month(quality)
    filing = current_filing(year, month)
    settled = progress.settled_findings(filing)
    codes = {source.code for source in sources}
    annotated = [
        {
            "finding": finding,
            "stored": progress.settled_for(settled, finding),
            "anchor": f"source-{finding.item}" if finding.item in codes else "",
            "token": progress.finding_token(finding),
            "error": (errors or {}).get(progress.finding_token(finding)),
        }
        for finding in findings
    ]
    stale = run is not None and selectors.run_is_stale(run)
    entered = sum(1 for source in sources if source.pk in records)
    preparing = request.workspace_access.allows("enter_activity_data")
    context = {
        "findings": findings,
        "annotated_findings": annotated,
        "steps": progress.month_steps(
            sources=len(sources),
            entered=entered,
            run_exists=run is not None,
            run_stale=stale,
            findings=findings,
            filing=filing,
        ),
        "filing": filing,
        "can_prepare": preparing,
        "may_submit": preparing and progress.may_submit(entered=entered, findings=findings, filing=filing),
        "submit_errors": errors,
        "month_comments": comments.get("month", []),
        "deadline": quality.deadline,
        "rule_pack_version": pack_version(),
        "parameter_set_title": PARAMETER_SET_TITLES.get(methodology, ""),
        "year": year,
        "month": month,
        "rows": rows,
        "outputs": selectors.current_outputs(year, month),
        "output_form": forms.get("output_form") or OutputForm(prefix="output"),
        "lab_form": forms.get("lab_form") or LabReportForm(prefix="lab"),
        "run": run,
        "stale": stale,
        "recompute_form": RecomputeForm(),
        "stock_form": (forms.get("ledger_forms") or {}).get("save_stock") or FuelStockForm(prefix="stock"),
        "bill_form": (forms.get("ledger_forms") or {}).get("save_bill") or ElectricityBillForm(prefix="bill"),
        "stocks": selectors.current_ledger(FuelStockRecord, year, month),
        "bills": selectors.current_ledger(ElectricityBill, year, month),
        "frozen": freeze.frozen_status(year, month),  # in review or locked: writes are refused
    }
    return context


def _previous_month(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def _bound(request, name: str) -> tuple:
    return (request.POST, request.FILES) if name in request.POST else (None, None)


def _save_ledger(request, name: str, form, year: int, month: int) -> bool:
    """The stock ledger or the grid bill of a month (a second entry for the same source is a correction)."""
    if not form.is_valid():
        return False
    data = dict(form.cleaned_data)
    record = ledgers.record_fuel_stock if name == "save_stock" else ledgers.record_electricity_bill
    try:
        record(year=year, month=month, by=request.user, **data)
    except ValidationError as error:
        _report(request, error, form)
        return False
    messages.success(request, _("已保存：%(source)s") % {"source": data["source"].name})
    return True


def _initial(source: EmissionSource, record, previous=None) -> dict:
    """A correction starts from the current version, so parameters not being corrected are carried over; a
    blank month starts from last month's structure (unit, data source, heating-value unit), not its figures."""
    if record is None:
        initial = {"unit": source.unit, "version": 0}
        if previous is not None:
            initial.update(unit=previous.unit, data_source=previous.data_source)
            for parameter in previous.parameters.all():
                if parameter.name == "ncv":
                    initial["ncv_unit"] = parameter.unit
        return initial
    initial = {
        "version": record.version,
        "quantity": plain(record.quantity),
        "unit": record.unit,
        "data_source": record.data_source,
    }
    for parameter in record.parameters.all():
        initial[parameter.name] = plain(parameter.value)
        if parameter.lab_report_id:
            initial["lab_report"] = parameter.lab_report_id
        if parameter.name == "ncv":
            initial["ncv_unit"] = parameter.unit
    return initial


@require_POST
@require_workspace_action("compute_emissions")
def compute(request, year: int, month: int):
    try:
        if selectors.current_run(year, month) is None:
            run = accounting.compute_month(
                enterprise=request.enterprise, year=year, month=month, by=request.user
            )
        else:
            form = RecomputeForm(request.POST)
            reason = form.data.get("reason", "")
            run = accounting.recompute_month(
                enterprise=request.enterprise, year=year, month=month, by=request.user, reason=reason
            ).new
    except ValidationError as error:
        _report(request, error)
        return redirect("workspace:carbon_month", year=year, month=month)
    return redirect("workspace:carbon_run", run_id=run.pk)


@require_workspace_action("view_carbon")
def run_detail(request, run_id: int):
    run = get_object_or_404(CalculationRun.objects.select_related("computed_by", "supersedes"), pk=run_id)
    previous = run.supersedes
    change = accounting.Recalculation(old=previous, new=run) if previous else None
    return render(request, "frontend/carbon/run.html", {"run": run, "result": run.result, "change": change})
