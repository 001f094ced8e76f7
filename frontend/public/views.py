"""Pages outside any workspace: home per role, onboarding, engagements, health."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from frontend.public.forms import EngagementForm, OnboardEnterpriseForm
from tenants import access, selectors, services
from tenants.models import Enterprise, User


def index(request):
    return redirect("home" if request.user.is_authenticated else "login")


@login_required
def home(request):
    user = request.user
    workspaces = access.accessible_enterprises(user, include_bureau=False)
    from django.utils import timezone

    from steward.filing.selectors import month_states, my_tasks

    today = timezone.localdate()
    context = {
        "tasks": my_tasks(workspaces, today),
        "month_states": month_states(workspaces, today),
        "recent_notifications": user.notifications.select_related("enterprise")[:5],
        "member_workspaces": [grant for grant in workspaces if grant.roles & access.ENTERPRISE_ROLES],
        "steward_clients": selectors.steward_clients(user),
        "bureau_overview": selectors.bureau_overview(user),
        "platform_enterprises": Enterprise.objects.select_related("jurisdiction", "industry")
        if access.can(user, "view_all_enterprises")
        else None,
    }
    return render(request, "frontend/public/home.html", context)


@login_required
@access.require_platform_action("onboard_enterprise")
def onboard(request):
    form = OnboardEnterpriseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            enterprise = services.onboard_enterprise(**form.cleaned_data)
        except ValidationError as error:
            form.add_error("slug" if error.code in {"invalid_slug", "slug_taken"} else None, error)
        else:
            messages.success(request, _("已开通企业工作区：%(name)s") % {"name": enterprise.name_zh})
            return redirect("home")
    return render(request, "frontend/public/onboard.html", {"form": form})


@login_required
@access.require_platform_action("manage_users")
def people(request):
    """Platform admins: every user with their memberships, and deactivation (users are never deleted)."""
    if request.method == "POST":
        person = get_object_or_404(User, pk=request.POST.get("user"))
        try:
            services.deactivate_user(person, reason=request.POST.get("reason", ""), by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("已停用账号：%(name)s") % {"name": person})
        return redirect("people")
    users = User.objects.order_by("-is_active", "username").prefetch_related(
        "enterprise_memberships__enterprise", "steward_memberships__firm", "bureau_memberships__bureau"
    )
    return render(request, "frontend/public/people.html", {"people": users})


@login_required
def engagements(request):
    """Platform admins see and create every engagement; steward staff see their firms'."""
    may_manage = access.can(request.user, "manage_engagements")
    form = EngagementForm(request.POST or None) if may_manage else None
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied("manage_engagements")
        if form.is_valid():
            try:
                services.create_engagement(**form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("服务关系已创建。"))
                return redirect("engagements")
    rows = selectors.engagements_visible_to(request.user)
    return render(request, "frontend/workspace/engagements.html", {"engagements": rows, "create_form": form})


@require_GET
def healthz(request) -> HttpResponse:
    """Liveness and readiness: 200 only when the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # noqa: BLE001 - any database failure means not ready
        return JsonResponse({"status": "error", "database": str(error.__class__.__name__)}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_required
def factor_library(request):
    """The current factor set, every row with its source and verification status."""
    from steward.factors.models import FactorSet

    factor_set = FactorSet.objects.prefetch_related("fuel_factors", "grid_factors").first()
    return render(
        request,
        "frontend/public/factors.html",
        {"factor_set": factor_set, "versions": FactorSet.objects.all()[:10]},
    )


@login_required
def inbox(request):
    """Reminders, escalations and the reviews waiting for this person, across their workspaces."""
    from django.utils import timezone

    from steward.filing.selectors import my_tasks

    if request.method == "POST":
        request.user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
        return redirect("inbox")
    grants = access.accessible_enterprises(request.user, include_bureau=False)
    context = {
        "notifications": request.user.notifications.select_related("enterprise")[:200],
        "tasks": my_tasks(grants, timezone.localdate()),
    }
    return render(request, "frontend/public/inbox.html", context)


@login_required
def overdue(request):
    """Months past their deadline in every workspace the person can see (bureau: its jurisdiction)."""
    from django.utils import timezone

    from steward.filing.selectors import overdue_items

    grants = access.accessible_enterprises(request.user)
    return render(
        request, "frontend/public/overdue.html", {"rows": overdue_items(grants, timezone.localdate())}
    )


@login_required
def notification_settings(request):
    """Which channels besides the inbox carry this person's notices (e-mail, SMS, 浙政钉)."""
    from tenants.channels import CHANNELS
    from tenants.notifications import preference_of, save_preference

    if request.method == "POST":
        save_preference(request.user, chosen=request.POST.getlist("channels"))
        messages.success(request, _("通知设置已保存。"))
        return redirect("notification_settings")
    preference = preference_of(request.user)
    rows = [
        {
            "channel": channel,
            "chosen": getattr(preference, channel.code),
            "address": channel.address_of(request.user),
        }
        for channel in CHANNELS
    ]
    return render(request, "frontend/public/notification_settings.html", {"rows": rows})
