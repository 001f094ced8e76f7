"""The URLs /api/schema/ describes: the public API and the workspace API under /e/{slug}/ in one document.

The public URLconf serves /api/schema/, but the workspace endpoints live in another URLconf (django-tenants'
subfolder routing), so neither alone describes the whole API.
"""

from django.urls import include, path

from steward.urls import api_v1 as public_api
from steward.urls_workspace import api_v1 as workspace_api

urlpatterns = [
    path("api/v1/", include(public_api)),
    path("e/<slug:slug>/api/v1/", include(workspace_api)),
]
