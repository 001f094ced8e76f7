"""Public-schema URLs: login, role homes, operator pages, health, the public API and its schema."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from frontend.public import views as views_public
from steward import monitoring
from steward.api import views as api
from steward.api.banking import BankEnterpriseListView, BankEnterpriseView
from steward.api.calculate import CalculateView
from steward.api.register import RegisterHistoryView, RegisterListView

api_v1 = [
    path("me/", api.MeView.as_view(), name="api-me"),
    path("enterprises/", api.EnterpriseListView.as_view(), name="api-enterprises"),
    path("calculate", CalculateView.as_view(), name="api-calculate"),
    path("bank/enterprises/", BankEnterpriseListView.as_view(), name="api-bank-enterprises"),
    path("bank/enterprises/<int:enterprise_id>/", BankEnterpriseView.as_view(), name="api-bank-enterprise"),
    path("register/enterprises/", RegisterListView.as_view(), name="api-register-enterprises"),
    path(
        "register/enterprises/<int:registered_id>/grades/",
        RegisterHistoryView.as_view(),
        name="api-register-grades",
    ),
]

urlpatterns = [
    path("", include("frontend.urls_public")),
    path("healthz", views_public.healthz, name="healthz"),
    # Prometheus scrape endpoint: counts and latencies only, no enterprise data; answered only to an
    # allow-listed network or a bearer of METRICS_TOKEN, and not routed by the proxy or ingress.
    path("metrics", monitoring.metrics, name="prometheus-django-metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(urlconf="steward.urls_schema"), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
