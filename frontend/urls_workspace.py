from django.urls import path

from frontend import views_carbon, views_filing, views_intake, views_integrations, views_workspace

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
]
