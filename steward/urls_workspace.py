"""Workspace URLs, served under /e/<slug>/ by django-tenants' subfolder routing."""

from django.urls import include, path

from steward.api import activity, filings
from steward.api import compliance as compliance_api
from steward.api import handoff as handoff_api
from steward.api import views as api

api_v1 = [
    path("enterprise/", api.WorkspaceEnterpriseView.as_view(), name="api-enterprise"),
    path("engagements/", api.WorkspaceEngagementListView.as_view(), name="api-engagements"),
    path("evidence/", api.WorkspaceEvidenceView.as_view(), name="api-evidence"),
    path("compliance/<int:year>/", compliance_api.ComplianceYearView.as_view(), name="api-compliance"),
    path("activity/", activity.ActivityListView.as_view(), name="api-activity"),
    path("results/", filings.ResultListView.as_view(), name="api-results"),
    path("filings/", filings.FilingListView.as_view(), name="api-filings"),
    path(
        "filings/<int:year>/<int:month>/submit/", filings.FilingSubmitView.as_view(), name="api-filing-submit"
    ),
    path(
        "filings/<int:year>/<int:month>/platform-items/",
        handoff_api.PlatformItemsView.as_view(),
        name="api-platform-items",
    ),
    path(
        "filings/<int:year>/<int:month>/platform-submissions/",
        handoff_api.PlatformSubmissionsView.as_view(),
        name="api-platform-submissions",
    ),
]

urlpatterns = [
    path("", include("frontend.urls_workspace")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include(api_v1)),
]
