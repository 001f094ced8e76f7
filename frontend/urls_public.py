from django.contrib.auth import views as auth_views
from django.urls import path

from frontend.banking import views as views_banking
from frontend.budget import views as views_budget
from frontend.oversight import views as views_oversight
from frontend.public import views as views_public
from frontend.public.forms import SignInForm
from frontend.queue import views as views_queue
from frontend.register import views as views_register

urlpatterns = [
    path("", views_public.index, name="index"),
    path("home/", views_public.home, name="home"),
    path("onboard/", views_public.onboard, name="onboard"),
    path("engagements/", views_public.engagements, name="engagements"),
    path("people/", views_public.people, name="people"),
    path("factors/", views_public.factor_library, name="factors"),
    path("inbox/", views_public.inbox, name="inbox"),
    path("inbox/settings/", views_public.notification_settings, name="notification_settings"),
    path("overdue/", views_public.overdue, name="overdue"),
    path("portfolio/", views_oversight.steward_portfolio, name="portfolio"),
    path("queue/", views_queue.steward_queue, name="steward_queue"),
    path("queue/approve/", views_queue.bulk_approve, name="steward_queue_approve"),
    path("bureau/", views_oversight.bureau_dashboard, name="bureau_dashboard"),
    path("bureau/wall/", views_oversight.bureau_wall, name="bureau_wall"),
    path("bureau/export.xlsx", views_oversight.bureau_export_xlsx, name="bureau_export"),
    path("bureau/summary.pdf", views_oversight.bureau_summary_pdf, name="bureau_summary"),
    path("bureau/register/", views_register.city_register, name="city_register"),
    path("bureau/register/<int:registered_id>/", views_register.register_entry, name="register_entry"),
    path("register/import/", views_register.import_feed, name="register_import"),
    path("bureau/budgets/", views_budget.budget_list, name="budget_list"),
    path("bureau/budgets/set/", views_budget.budget_set, name="budget_set"),
    path("bureau/budgets/<int:budget_id>/", views_budget.budget_detail, name="budget_detail"),
    path("bureau/budgets/<int:budget_id>/decide/", views_budget.budget_decide, name="budget_decide"),
    path("bureau/spot-checks/", views_oversight.spot_check_queue, name="spot_checks"),
    path(
        "bureau/spot-checks/<int:enterprise_id>/<year:year>/<month:month>/",
        views_oversight.record_spot_check,
        name="record_spot_check",
    ),
    path("bank/", views_banking.bank_portal, name="bank_portal"),
    path("bank/<int:enterprise_id>/", views_banking.bank_enterprise, name="bank_enterprise"),
    path(
        "bank/<int:enterprise_id>/seal/<year:year>/<month:month>.json",
        views_banking.bank_month_seal,
        name="bank_month_seal",
    ),
    path(
        "bank/<int:enterprise_id>/annual/<year:year>.json",
        views_banking.bank_annual_report,
        name="bank_annual_report",
    ),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html",
            redirect_authenticated_user=True,
            authentication_form=SignInForm,
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
]
