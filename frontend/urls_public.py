from django.contrib.auth import views as auth_views
from django.urls import path

from frontend import views_public

urlpatterns = [
    path("", views_public.index, name="index"),
    path("home/", views_public.home, name="home"),
    path("onboard/", views_public.onboard, name="onboard"),
    path("engagements/", views_public.engagements, name="engagements"),
    path("factors/", views_public.factor_library, name="factors"),
    path("inbox/", views_public.inbox, name="inbox"),
    path("overdue/", views_public.overdue, name="overdue"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
]
