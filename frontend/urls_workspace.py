from django.urls import path

from frontend import views_carbon, views_documents, views_filing, views_pollution, views_workspace

app_name = "workspace"
urlpatterns = [
    path("", views_workspace.home, name="home"),
    path("profile/", views_workspace.profile, name="profile"),
    path("engagements/", views_workspace.engagements, name="engagements"),
    path(
        "engagements/<int:engagement_id>/revoke/", views_workspace.revoke_engagement, name="revoke_engagement"
    ),
    path("members/", views_workspace.members, name="members"),
    path("evidence/", views_workspace.evidence_list, name="evidence"),
    path("evidence/<int:evidence_id>/download/", views_workspace.evidence_download, name="evidence_download"),
    path("carbon/", views_carbon.overview, name="carbon"),
    path("carbon/<int:year>/", views_carbon.overview, name="carbon_year"),
    path("carbon/<int:year>/<int:month>/", views_carbon.month, name="carbon_month"),
    path("carbon/<int:year>/<int:month>/compute/", views_carbon.compute, name="carbon_compute"),
    path("carbon/results/<int:run_id>/", views_carbon.run_detail, name="carbon_run"),
    path("filing/<int:year>/<int:month>/", views_filing.filing_page, name="filing"),
    path("filing/<int:year>/<int:month>/<slug:action>/", views_filing.filing_action, name="filing_action"),
    path("findings/<int:finding_id>/<slug:action>/", views_filing.finding_action, name="finding_action"),
    path("documents/<int:document_id>/", views_documents.document_download, name="document_download"),
    path("pollution/", views_pollution.permit_page, name="pollution"),
    path("pollution/import/", views_pollution.monitoring_import, name="pollution_import"),
    path("pollution/import/confirm/", views_pollution.monitoring_confirm, name="pollution_import_confirm"),
    path("pollution/<int:year>/<int:month>/", views_pollution.month_page, name="pollution_month"),
    path("pollution/reports/", views_pollution.reports_page, name="pollution_reports"),
    path("pollution/reports/<int:year>/", views_pollution.reports_page, name="pollution_reports_year"),
    path(
        "pollution/reports/<slug:frequency>/<int:year>/<int:period>/",
        views_pollution.report_page,
        name="pollution_report",
    ),
    path(
        "pollution/reports/<slug:frequency>/<int:year>/<int:period>/<slug:action>/",
        views_pollution.report_action,
        name="pollution_report_action",
    ),
    path("inventory/", views_pollution.inventory_page, name="fused_inventory"),
    path("inventory/<int:year>/", views_pollution.inventory_page, name="fused_inventory_year"),
]
