from django.urls import path

from frontend.annual import views as views_annual
from frontend.banking import views as views_banking
from frontend.budget import views as views_budget
from frontend.carbon import plan_views as views_plan
from frontend.carbon import views as views_carbon
from frontend.compliance import views as views_compliance
from frontend.filing import handoff as views_handoff
from frontend.filing import month as views_month
from frontend.filing import views as views_filing
from frontend.intake import views as views_intake
from frontend.integrations import views as views_integrations
from frontend.oversight import views as views_oversight
from frontend.pollution import permit_views
from frontend.pollution import views as views_pollution
from frontend.workspace import documents as views_documents
from frontend.workspace import views as views_workspace

app_name = "workspace"
urlpatterns = [
    path("", views_workspace.home, name="home"),
    path("profile/", views_workspace.profile, name="profile"),
    path("engagements/", views_workspace.engagements, name="engagements"),
    path(
        "engagements/<int:engagement_id>/revoke/", views_workspace.revoke_engagement, name="revoke_engagement"
    ),
    path("members/", views_workspace.members, name="members"),
    path("access-log/", views_oversight.workspace_access_log, name="access_log"),
    path("banks/", views_banking.bank_consents, name="bank_consents"),
    path("banks/grant/", views_banking.grant_bank_consent, name="grant_bank_consent"),
    path("banks/<int:consent_id>/revoke/", views_banking.revoke_bank_consent, name="revoke_bank_consent"),
    path("evidence/", views_workspace.evidence_list, name="evidence"),
    path("evidence/<int:evidence_id>/download/", views_workspace.evidence_download, name="evidence_download"),
    path("carbon/", views_carbon.overview, name="carbon"),
    path("carbon/<year:year>/", views_carbon.overview, name="carbon_year"),
    path("carbon/<year:year>/<month:month>/", views_carbon.month, name="carbon_month"),
    path("carbon/<year:year>/<month:month>/compute/", views_carbon.compute, name="carbon_compute"),
    path("carbon/results/<int:run_id>/", views_carbon.run_detail, name="carbon_run"),
    path("carbon/plan/", views_plan.plan_page, name="control_plan"),
    path("filing/<year:year>/<month:month>/", views_filing.filing_page, name="filing"),
    path(
        "filing/<year:year>/<month:month>/platform/items.xlsx",
        views_handoff.platform_items_xlsx,
        name="platform_items_xlsx",
    ),
    path(
        "filing/<year:year>/<month:month>/platform/items.json",
        views_handoff.platform_items_json,
        name="platform_items_json",
    ),
    path(
        "filing/<year:year>/<month:month>/platform/evidence.zip",
        views_handoff.platform_evidence_zip,
        name="platform_evidence_zip",
    ),
    path(
        "filing/<year:year>/<month:month>/platform/submissions/",
        views_handoff.platform_submission_record,
        name="platform_submission_record",
    ),
    path("filing/<year:year>/<month:month>/submit-month/", views_month.submit_month, name="submit_month"),
    path(
        "filing/<year:year>/<month:month>/request-waiver/", views_month.request_waiver, name="request_waiver"
    ),
    path("filing/<year:year>/<month:month>/<slug:action>/", views_filing.filing_action, name="filing_action"),
    path("findings/<int:finding_id>/<slug:action>/", views_filing.finding_action, name="finding_action"),
    path("compliance/", views_compliance.position, name="compliance"),
    path("compliance/<year:year>/", views_compliance.position, name="compliance_year"),
    path("carbon-efficiency/", views_compliance.efficiency, name="efficiency"),
    path("carbon-efficiency/<year:year>/", views_compliance.efficiency, name="efficiency_year"),
    path("budget/", views_budget.workspace_budget, name="budget"),
    path("budget/<int:budget_id>/request/", views_budget.workspace_budget_request, name="budget_request"),
    path("compliance/<year:year>/pdf/<slug:kind>/", views_compliance.issue_document, name="compliance_pdf"),
    path("documents/<int:document_id>/", views_documents.document_download, name="document_download"),
    path("annual/", views_annual.annual_index, name="annual_index"),
    path("annual/<year:year>/", views_annual.annual_page, name="annual"),
    path("annual/<year:year>/<slug:action>/", views_annual.annual_action, name="annual_action"),
    path("annual/<year:year>/v<int:version>.xlsx", views_annual.annual_xlsx_download, name="annual_xlsx"),
    path(
        "filing/<year:year>/<month:month>/record.pdf",
        views_annual.filing_record_download,
        name="filing_record",
    ),
    path("intake/", views_intake.intake, name="intake"),
    path("intake/template/", views_intake.template, name="intake_template"),
    path("intake/upload/", views_intake.upload, name="intake_upload"),
    path("intake/confirm/", views_intake.confirm, name="intake_confirm"),
    path("intake/batches/", views_intake.batches, name="intake_batches"),
    path("intake/batches/<int:batch_id>/", views_intake.batch, name="intake_batch"),
    path("integrations/tokens/", views_integrations.api_tokens, name="api_tokens"),
    path(
        "integrations/tokens/<int:token_id>/revoke/",
        views_integrations.revoke_api_token,
        name="revoke_api_token",
    ),
    path("integrations/webhooks/", views_integrations.webhook_list, name="webhooks"),
    path(
        "integrations/webhooks/<int:endpoint_id>/disable/",
        views_integrations.disable_webhook,
        name="disable_webhook",
    ),
    path("pollution/", views_pollution.permit_page, name="pollution"),
    path("pollution/register/", permit_views.permit_register, name="pollution_register"),
    path("pollution/outlets/", permit_views.outlets_page, name="pollution_outlets"),
    path("pollution/versions/<int:version>/", permit_views.permit_version, name="pollution_version"),
    path("pollution/import/", views_pollution.monitoring_import, name="pollution_import"),
    path("pollution/import/confirm/", views_pollution.monitoring_confirm, name="pollution_import_confirm"),
    path("pollution/<year:year>/<month:month>/", views_pollution.month_page, name="pollution_month"),
    path("pollution/reports/", views_pollution.reports_page, name="pollution_reports"),
    path("pollution/reports/<year:year>/", views_pollution.reports_page, name="pollution_reports_year"),
    path(
        "pollution/reports/<slug:frequency>/<year:year>/<int:period>/",
        views_pollution.report_page,
        name="pollution_report",
    ),
    path(
        "pollution/reports/<slug:frequency>/<year:year>/<int:period>/<slug:action>/",
        views_pollution.report_action,
        name="pollution_report_action",
    ),
    path("inventory/", views_pollution.inventory_page, name="fused_inventory"),
    path("inventory/<year:year>/", views_pollution.inventory_page, name="fused_inventory_year"),
]
