"""Monthly filing: every transition and who may make it, findings, waivers, sealing, reopening, races."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django_tenants.utils import schema_context

from steward.carbon import services as carbon
from steward.filing.compare import changes_since_previous_version
from steward.filing.models import FilingStatus, MonthlyFiling
from steward.filing.seal import verify_chain
from tenants.access import workspace_access
from tenants.models import Enterprise, User
from workflows import monthly_filing as services


def person(username: str, enterprise: Enterprise):
    user = User.objects.get(username=username)
    return user, workspace_access(user, enterprise)


def enter_month(enterprise: Enterprise, year: int, month: int, filer: User) -> None:
    facility = carbon.add_facility(code=f"B{year}{month}", name="1号锅炉", kind="boiler")
    coal = carbon.add_source(
        facility=facility,
        code=f"C{year}{month}",
        name="锅炉烟煤",
        kind="fuel_combustion",
        fuel_code="bituminous_coal",
        unit="t",
    )
    carbon.record_activity(
        source=coal,
        year=year,
        month=month,
        quantity=Decimal("500"),
        unit="t",
        data_source="production_metering",
        entered_by=filer,
    )


@pytest.fixture
def paper():
    """The paper mill: filer paper.filer; its steward (qingyuan, carbon scope) reviews."""
    enterprise = Enterprise.objects.get(slug="nth-paper")
    with schema_context(enterprise.schema_name):
        filer, filer_grant = person("paper.filer", enterprise)
        enter_month(enterprise, 2025, 6, filer)
        filing = services.open_filing(enterprise=enterprise, year=2025, month=6, by=filer)
        yield {
            "enterprise": enterprise,
            "filing": filing,
            "filer": (filer, filer_grant),
            "steward": person("qingyuan.reviewer", enterprise),
        }


def acknowledge_all(paper) -> None:
    filer, grant = paper["filer"]
    for finding in paper["filing"].findings.filter(severity="warning"):
        services.acknowledge(finding=finding, comment="迟报原因：系统切换", by=filer, grant=grant)


@pytest.mark.django_db
def test_draft_to_locked_with_a_return_in_between(paper):
    enterprise, filing = paper["enterprise"], paper["filing"]
    filer, filer_grant = paper["filer"]
    steward, steward_grant = paper["steward"]
    services.run_checks(enterprise=enterprise, filing=filing, by=filer)
    assert {f.rule_id for f in filing.findings.all()} >= {"DQ-T01"}  # June 2025 is long past its deadline
    with pytest.raises(ValidationError, match="未确认的警告"):
        services.submit(enterprise=enterprise, filing=filing, by=filer, grant=filer_grant)
    acknowledge_all(paper)
    filing = services.submit(enterprise=enterprise, filing=filing, by=filer, grant=filer_grant)
    assert filing.status == FilingStatus.IN_REVIEW and filing.rule_pack_version == "HZ-DQ-2026.4"
    with pytest.raises(PermissionDenied):
        services.approve(filing=filing, by=filer, grant=filer_grant)  # a filer never approves their own month
    with pytest.raises(ValidationError):
        services.return_for_changes(filing=filing, comments={"C20256": " "}, by=steward, grant=steward_grant)
    filing = services.return_for_changes(
        filing=filing, comments={"C20256": "请补充入炉煤计量记录"}, by=steward, grant=steward_grant
    )
    assert filing.status == FilingStatus.RETURNED and filing.comments.get().text == "请补充入炉煤计量记录"
    filing = services.submit(enterprise=enterprise, filing=filing, by=filer, grant=filer_grant)
    filing = services.approve(filing=filing, by=steward, grant=steward_grant)
    assert (
        filing.status == FilingStatus.LOCKED and len(filing.seal) == 64 and filing.previous_seal == "0" * 64
    )
    assert filing.sealed_payload["records"][0]["quantity"] == "500"
    assert verify_chain() == []
    assert list(filing.events.values_list("action", flat=True)) == [
        "opened",
        "checked",
        "acknowledged",
        "checked",
        "submitted",
        "returned",
        "checked",
        "submitted",
        "approved",
    ]


@pytest.mark.django_db
def test_blocking_findings_need_a_fix_or_a_reasoned_waiver_by_the_steward(paper):
    enterprise, filing = paper["enterprise"], paper["filing"]
    filer, filer_grant = paper["filer"]
    steward, steward_grant = paper["steward"]
    facility = carbon.add_facility(code="B2", name="2号锅炉", kind="boiler")
    carbon.add_source(
        facility=facility,
        code="B2-GAS",
        name="2号锅炉天然气",
        kind="fuel_combustion",
        fuel_code="natural_gas",
        unit="10^4 Nm3",
    )  # no data for June: DQ-C01 blocks
    services.run_checks(enterprise=enterprise, filing=filing, by=filer)
    acknowledge_all(paper)
    blocking = filing.findings.get(rule_id="DQ-C01")
    with pytest.raises(ValidationError, match="阻断"):
        services.submit(enterprise=enterprise, filing=filing, by=filer, grant=filer_grant)
    with pytest.raises(ValidationError):
        services.acknowledge(finding=blocking, comment="说明", by=filer, grant=filer_grant)
    with pytest.raises(PermissionDenied):
        services.waive(finding=blocking, reason="停运", by=filer, grant=filer_grant)
    with pytest.raises(ValidationError):
        services.waive(finding=blocking, reason="", by=steward, grant=steward_grant)
    services.waive(finding=blocking, reason="2号锅炉6月停运，无燃料消耗", by=steward, grant=steward_grant)
    filing = services.submit(enterprise=enterprise, filing=filing, by=filer, grant=filer_grant)
    waived = filing.findings.get(rule_id="DQ-C01")
    assert filing.status == FilingStatus.IN_REVIEW and waived.waived_by == steward  # kept across the re-check
    assert "2号锅炉6月停运" in filing.events.get(action="waived").comment


@pytest.mark.django_db
def test_without_a_carbon_steward_the_enterprise_admin_reviews():
    enterprise = Enterprise.objects.get(slug="aj-wood")  # its only engagement was revoked
    with schema_context(enterprise.schema_name):
        admin, admin_grant = person("wood.admin", enterprise)
        enter_month(enterprise, 2025, 5, admin)
        filing = services.open_filing(enterprise=enterprise, year=2025, month=5, by=admin)
        services.run_checks(enterprise=enterprise, filing=filing, by=admin)
        for finding in filing.findings.filter(severity="warning"):
            services.acknowledge(finding=finding, comment="已知", by=admin, grant=admin_grant)
        filing = services.submit(enterprise=enterprise, filing=filing, by=admin, grant=admin_grant)
        assert services.approve(filing=filing, by=admin, grant=admin_grant).status == FilingStatus.LOCKED


@pytest.mark.django_db
def test_bureau_and_out_of_scope_stewards_cannot_act(paper):
    enterprise, filing = paper["enterprise"], paper["filing"]
    inspector, inspector_grant = person("city.inspector", enterprise)
    with pytest.raises(PermissionDenied):
        services.submit(enterprise=enterprise, filing=filing, by=inspector, grant=inspector_grant)
    services.run_checks(enterprise=enterprise, filing=filing, by=paper["filer"][0])
    acknowledge_all(paper)
    filing = services.submit(
        enterprise=enterprise, filing=filing, by=paper["filer"][0], grant=paper["filer"][1]
    )
    with pytest.raises(PermissionDenied):
        services.approve(filing=filing, by=inspector, grant=inspector_grant)


@pytest.mark.django_db
def test_reopen_creates_a_new_version_and_the_chain_links_both(paper):
    enterprise, filing = paper["enterprise"], paper["filing"]
    filer, filer_grant = paper["filer"]
    steward, steward_grant = paper["steward"]
    services.run_checks(enterprise=enterprise, filing=filing, by=filer)
    acknowledge_all(paper)
    services.submit(enterprise=enterprise, filing=filing, by=filer, grant=filer_grant)
    first = services.approve(filing=filing, by=steward, grant=steward_grant)
    with pytest.raises(PermissionDenied):
        services.approve_reopen(filing=first, by=filer, grant=filer_grant)
    with pytest.raises(ValidationError):
        services.approve_reopen(filing=first, by=steward, grant=steward_grant)  # nothing requested yet
    services.request_reopen(filing=first, reason="6月入炉煤量录入错误", by=filer, grant=filer_grant)
    second = services.approve_reopen(filing=first, by=steward, grant=steward_grant)
    assert (second.version, second.status, second.supersedes_id) == (2, FilingStatus.DRAFT, first.pk)
    record = carbon.latest_activity(carbon.EmissionSource.objects.get(code="C20256"), 2025, 6)
    carbon.correct_activity(
        record=record,
        quantity=Decimal("520"),
        unit="t",
        data_source="production_metering",
        reason="6月入炉煤量录入错误",
        entered_by=filer,
    )
    services.run_checks(enterprise=enterprise, filing=second, by=filer)
    for finding in second.findings.filter(severity="warning"):
        services.acknowledge(finding=finding, comment="迟报", by=filer, grant=filer_grant)
    services.submit(enterprise=enterprise, filing=second, by=filer, grant=filer_grant)
    second = services.approve(filing=second, by=steward, grant=steward_grant)
    first.refresh_from_db()
    assert first.status == FilingStatus.LOCKED and first.sealed_payload["records"][0]["quantity"] == "500"
    assert second.previous_seal == first.seal and second.sealed_payload["records"][0]["quantity"] == "520"
    assert verify_chain() == []
    changes = {(c.item, c.field): (c.before, c.after) for c in changes_since_previous_version(second)}
    assert changes[("C20256", "quantity")] == ("500 t", "520 t")
    assert changes_since_previous_version(first) is None  # nothing earlier to compare with


@pytest.mark.django_db
def test_verify_seals_names_a_record_changed_by_direct_sql(paper, capsys):
    enterprise, filing = paper["enterprise"], paper["filing"]
    filer, filer_grant = paper["filer"]
    steward, steward_grant = paper["steward"]
    services.run_checks(enterprise=enterprise, filing=filing, by=filer)
    acknowledge_all(paper)
    services.submit(enterprise=enterprise, filing=filing, by=filer, grant=filer_grant)
    services.approve(filing=filing, by=steward, grant=steward_grant)
    with connection.cursor() as cursor:  # someone with database rights goes around the application
        cursor.execute("SET LOCAL session_replication_role = replica")  # user triggers off (superuser only)
        cursor.execute("UPDATE carbon_activityrecord SET quantity = 400 WHERE year = 2025 AND month = 6")
        cursor.execute("SET LOCAL session_replication_role = origin")
    problems = verify_chain()
    assert len(problems) == 1 and "2025年6月" in problems[0] and "C20256" in problems[0]
    with pytest.raises(SystemExit) as exit_code:
        call_command("verify_seals")
    assert exit_code.value.code == 1 and "nth-paper" in capsys.readouterr().out


def test_two_reviewers_approving_at_once_give_one_approval(django_db_setup, django_db_blocker):
    """Committed data and two real connections: exactly one approval, a clear conflict for the other."""
    with django_db_blocker.unblock():
        enterprise = Enterprise.objects.get(slug="dq-fibre")
        with schema_context(enterprise.schema_name):
            admin, admin_grant = person("fibre.filer", enterprise)
            month = datetime.date.today().month % 12 + 1
            with transaction.atomic():
                enter_month(enterprise, 2019, month, admin)
                filing = services.open_filing(enterprise=enterprise, year=2019, month=month, by=admin)
                MonthlyFiling.objects.filter(pk=filing.pk).update(status=FilingStatus.IN_REVIEW)
        outcomes: list[str] = []
        barrier = threading.Barrier(2)

        def approve_as(username: str) -> None:
            try:
                with schema_context(enterprise.schema_name):
                    user, grant = person(username, enterprise)
                    barrier.wait()
                    services.approve(filing=filing, by=user, grant=grant)
                    outcomes.append("approved")
            except ValidationError as error:
                outcomes.append(error.code)
            except PermissionDenied:
                outcomes.append("denied")
            finally:
                connection.close()

        # dq-fibre has no carbon steward (environmental scope only), so its filer cannot approve: use two
        # sessions of a reviewer role that may — the platform test world has none, so grant one for the race.
        from tenants.models import EnterpriseMembership

        EnterpriseMembership.objects.get_or_create(
            user=User.objects.get(username="city.viewer"), enterprise=enterprise, role="enterprise_admin"
        )
        EnterpriseMembership.objects.get_or_create(
            user=User.objects.get(username="city.inspector"), enterprise=enterprise, role="enterprise_admin"
        )
        threads = [
            threading.Thread(target=approve_as, args=(name,)) for name in ("city.viewer", "city.inspector")
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        EnterpriseMembership.objects.filter(
            enterprise=enterprise, role="enterprise_admin", user__username__startswith="city."
        ).delete()
    assert sorted(outcomes) == ["approved", "conflict"]
