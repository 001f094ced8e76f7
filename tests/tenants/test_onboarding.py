import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django_tenants.utils import schema_context

from steward.demo import credit_code
from steward.evidence.models import EvidenceFile
from tenants.models import Enterprise, Industry, Jurisdiction, User
from tenants.services import onboard_enterprise


def _onboard(slug="cx-steel", code=None, **extra):
    return onboard_enterprise(
        slug=slug,
        name_zh="长兴新钢有限公司",
        credit_code=code or credit_code("330522", "MA2K2L4M5"),
        jurisdiction=Jurisdiction.objects.get(code="330522"),
        industry=Industry.objects.get(code="3130"),
        **extra,
    )


def _tables(schema: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", [schema])
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db
def test_onboarding_clones_the_template_schema_with_every_tenant_table():
    admin = User.objects.create_user("steel.admin", password="x" * 12)
    enterprise = _onboard(admin_user=admin, in_national_carbon_market=True)
    assert enterprise.schema_name == "ent_cx_steel"
    assert _tables("ent_cx_steel") == _tables("tenant_template")
    assert "evidence_evidencefile" in _tables("ent_cx_steel")
    with schema_context("ent_cx_steel"):
        assert EvidenceFile.objects.count() == 0  # the template carries structure, not another tenant's rows
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM django_migrations WHERE app = 'evidence'")
            assert (
                cursor.fetchone()[0] >= 1
            )  # migrations recorded, so later migrate_schemas runs apply cleanly
    assert enterprise.memberships.get().user == admin


@pytest.mark.django_db
def test_onboarding_refuses_a_bad_credit_code_and_creates_nothing():
    with pytest.raises(ValidationError) as caught:
        _onboard(code="91330522MA2K2L4M5X")
    assert "credit_code" in caught.value.message_dict
    assert not Enterprise.objects.filter(slug="cx-steel").exists()
    assert "ent_cx_steel" not in {row for row in _schemas()}


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["Bad_Slug", "ab", "api", "cx-power"])
def test_onboarding_refuses_bad_or_taken_slugs(slug):
    with pytest.raises(ValidationError):
        _onboard(slug=slug)


@pytest.mark.django_db
def test_onboarding_refuses_a_credit_code_already_onboarded():
    taken = Enterprise.objects.get(slug="cx-power").credit_code
    with pytest.raises(ValidationError) as caught:
        _onboard(code=taken)
    assert "credit_code" in caught.value.message_dict


def _schemas() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db
def test_onboarding_command(capsys):
    call_command(
        "onboard_enterprise",
        "--slug",
        "aj-battery",
        "--name",
        "安吉锂电有限公司",
        "--credit-code",
        credit_code("330523", "MA2L3M5N6"),
        "--jurisdiction",
        "330523",
        "--industry",
        "3842",
        "--carbon-efficiency",
    )
    assert "/e/aj-battery/" in capsys.readouterr().out
    assert Enterprise.objects.get(slug="aj-battery").carbon_efficiency_evaluated


@pytest.mark.django_db
def test_platform_admin_onboards_through_the_ui(user_client):
    client = user_client("platform")
    form = {
        "name_zh": "德清地理信息科技有限公司",
        "credit_code": credit_code("330521", "MA2M4N6P7"),
        "slug": "dq-geo",
        "jurisdiction": "330521",
        "industry": "2641",
        "in_national_carbon_market": "",
    }
    bad = client.post("/onboard/", {**form, "credit_code": form["credit_code"][:-1] + "0"})
    assert bad.status_code == 200
    assert "校验位错误" in bad.content.decode()
    good = client.post("/onboard/", form)
    assert good.status_code == 302
    assert Enterprise.objects.filter(slug="dq-geo").exists()
    home = client.get("/home/")
    assert "德清地理信息科技有限公司" in home.content.decode()
