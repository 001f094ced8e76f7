"""Enterprise schemas name users without foreign keys into the public schema, and users cannot be deleted.

Why: tenants/references.py. What a user would notice if this broke: with hundreds of enterprises, sign-in and
onboarding slow down with every enterprise added (deploy/README.md, "Scaling"); and if users could be deleted,
old filings would lose who entered, approved or signed them.
"""

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django_tenants.utils import schema_context

from steward.filing.models import FilingEvent
from tenants.models import Enterprise, User

FOREIGN_KEYS_INTO_PUBLIC = """
    SELECT n.nspname, c.conrelid::regclass::text, c.conname
    FROM pg_constraint c
    JOIN pg_namespace n ON n.oid = c.connamespace
    JOIN pg_class referenced ON referenced.oid = c.confrelid
    WHERE c.contype = 'f' AND n.nspname = ANY(%s) AND referenced.relnamespace = 'public'::regnamespace
"""


@pytest.mark.django_db
def test_no_enterprise_schema_holds_a_foreign_key_into_the_public_schema():
    schemas = ["tenant_template", *Enterprise.objects.values_list("workspace__schema_name", flat=True)]
    assert len(schemas) > 3
    with connection.cursor() as cursor:
        cursor.execute(FOREIGN_KEYS_INTO_PUBLIC, [schemas])
        assert cursor.fetchall() == []
        cursor.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'public.tenants_user'::regclass AND tgisinternal"
        )
        internal_triggers = cursor.fetchone()[0]
    # Only the public schema's own references (memberships, notifications, tokens...) remain: their number
    # does not grow with the number of enterprises.
    assert internal_triggers < 60


@pytest.mark.django_db
def test_records_still_name_their_user():
    event = None
    for schema in Enterprise.objects.values_list("workspace__schema_name", flat=True):
        with schema_context(schema):
            event = FilingEvent.objects.select_related("actor").first()
        if event:
            break
    assert event is not None, "the demo world has filing events"
    assert isinstance(event.actor, User) and event.actor.username


@pytest.mark.django_db
def test_a_user_cannot_be_deleted_even_with_raw_sql():
    user = User.objects.filter(is_active=True).first()
    with pytest.raises(DatabaseError, match="Cannot delete rows from tenants_user"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM public.tenants_user WHERE id = %s", [user.pk])
    assert User.objects.filter(pk=user.pk).exists()


@pytest.mark.django_db
def test_a_person_who_leaves_is_deactivated_and_can_no_longer_sign_in(client):
    user = User.objects.create_user("leaver", password="correct horse battery")
    assert client.login(username="leaver", password="correct horse battery")
    call_command("deactivate_user", "leaver", reason="离职")
    assert client.get("/", follow=False).wsgi_request.user.is_anonymous
    assert not client.login(username="leaver", password="correct horse battery")
    assert User.objects.filter(pk=user.pk, is_active=False).exists()
    with pytest.raises(CommandError, match="停用原因"):
        call_command("deactivate_user", "leaver", reason="  ")


@pytest.mark.django_db
def test_platform_admin_deactivates_a_person_from_the_people_page(user_client):
    admin = user_client("platform")
    page = admin.get("/people/").content.decode()
    assert 'data-testid="person-cement.filer"' in page and "湖州青山水泥有限公司" in page
    filer = User.objects.get(username="cement.filer")
    response = admin.post("/people/", {"user": filer.pk, "reason": "  "}, follow=True)
    assert "请填写停用原因" in response.content.decode()
    assert User.objects.get(pk=filer.pk).is_active
    response = admin.post("/people/", {"user": filer.pk, "reason": "离职"}, follow=True)
    assert "已停用账号" in response.content.decode()
    assert not User.objects.get(pk=filer.pk).is_active
    platform = User.objects.get(username="platform")
    response = admin.post("/people/", {"user": platform.pk, "reason": "测试"}, follow=True)
    assert "不能停用自己的账号" in response.content.decode()
    assert User.objects.get(pk=platform.pk).is_active


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["cement.admin", "greencarbon.manager", "city.inspector"])
def test_only_platform_admins_see_or_change_people(user_client, username):
    client = user_client(username)
    assert client.get("/people/").status_code == 403
    target = User.objects.get(username="power.filer")
    assert client.post("/people/", {"user": target.pk, "reason": "x"}).status_code == 403
    assert User.objects.get(pk=target.pk).is_active
