"""One way to write a month's figure: `enter_activity` records it, corrects it (version n+1 with a reason) or
skips it when unchanged; the month page, the API and the intake all write through the same engine."""

import json
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context
from intake_workbooks import YEAR, fill

from steward.carbon import services
from steward.carbon.models import ActivityRecord, EmissionSource
from steward.carbon.services import ParameterInput
from steward.intake import services as intake
from steward.intake.template import build_template
from tenants.models import Enterprise, User

BASE = "/e/cx-power"


@pytest.fixture
def power(db):
    enterprise = Enterprise.objects.get(slug="cx-power")
    with schema_context(enterprise.schema_name):
        yield enterprise


@pytest.fixture
def filer(db):
    return User.objects.get(username="power.filer")


def _enter(source, quantity, *, reason="", parameters=(), by, month=1):
    return services.enter_activity(
        source=source,
        year=YEAR,
        month=month,
        quantity=D(quantity),
        unit=source.unit,
        data_source="production_metering",
        parameters=parameters,
        reason=reason,
        by=by,
    )


def test_record_then_correct_with_a_reason_and_the_same_figure_writes_nothing(power, filer):
    coal = EmissionSource.objects.get(code="U1-COAL")
    ncv = [ParameterInput("ncv", D("20.9"), "GJ/t")]
    first = _enter(coal, "1000", parameters=ncv, by=filer)
    assert (first.action, first.record.version) == ("create", 1)
    same = _enter(coal, "1000.000", parameters=ncv, by=filer)  # no reason needed: nothing changes
    assert same.action == "unchanged" and same.record == first.record
    with pytest.raises(ValidationError) as refused:
        _enter(coal, "1100", parameters=ncv, by=filer)
    assert refused.value.error_dict["reason"][0].code == "reason_required"
    fixed = _enter(coal, "1100", parameters=ncv, reason="计量表更正", by=filer)
    assert (fixed.action, fixed.record.version, fixed.record.supersedes) == ("correct", 2, first.record)
    assert fixed.record.correction_reason == "计量表更正"
    assert [(p.name, p.value) for p in fixed.record.parameters.all()] == [("ncv", D("20.9"))]
    # The page shows every current value, so a parameter left out is one the filer removed: a new version.
    dropped = _enter(coal, "1100", reason="改用缺省值", by=filer)
    assert dropped.action == "correct" and not dropped.record.parameters.exists()
    versions = ActivityRecord.objects.filter(source=coal, year=YEAR, month=1)
    assert list(versions.order_by("version").values_list("version", flat=True)) == [1, 2, 3]


def test_a_bad_figure_is_refused_with_its_field_and_writes_nothing(power, filer):
    grid = EmissionSource.objects.get(code="GRID")
    with pytest.raises(ValidationError) as refused:
        _enter(grid, "-5", by=filer)
    assert refused.value.error_dict["quantity"][0].code == "negative"
    with pytest.raises(ValidationError) as refused:
        services.enter_activity(
            source=grid, year=YEAR, month=1, quantity=D("5"), unit="t", data_source="other", by=filer
        )
    assert "unit" in refused.value.error_dict
    assert not ActivityRecord.objects.filter(source=grid, year=YEAR).exists()


def test_page_api_and_intake_meet_the_same_refusal_from_the_one_service(
    power, filer, user_client, monkeypatch
):
    """A rule added to the figure service reaches every entry: the page, the API and the intake all refuse the
    same figure with the same message, and none of them writes it."""
    engine = services.record_activity_batch
    message = "该数值未通过核算规则。"

    def refusing(*, entries, **kwargs):
        if any(entry.quantity == D("777") for entry in entries):
            raise ValidationError({"quantity": ValidationError(message, code="refused_by_rule")})
        return engine(entries=entries, **kwargs)

    monkeypatch.setattr(services, "record_activity_batch", refusing)
    grid = EmissionSource.objects.get(code="GRID")
    client = user_client("power.filer")

    page = client.post(
        f"{BASE}/carbon/{YEAR}/3/",
        {
            "source": grid.pk,
            f"s{grid.pk}-quantity": "777",
            f"s{grid.pk}-unit": "MWh",
            f"s{grid.pk}-data_source": "settlement_voucher",
        },
    )
    assert page.status_code == 200 and message in page.content.decode()

    api = client.post(
        f"{BASE}/api/v1/activity/",
        json.dumps(
            {
                "source": "GRID",
                "year": YEAR,
                "month": 3,
                "quantity": "777",
                "unit": "MWh",
                "data_source": "settlement_voucher",
            }
        ),
        content_type="application/json",
    )
    assert api.status_code == 400
    assert api.json()["quantity"] == [{"code": "refused_by_rule", "message": message}]

    workbook = fill(build_template(enterprise=power, year=YEAR, months=[3]), {("GRID", 3): {"quantity": 777}})
    report = intake.dry_run(enterprise=power, name="三月.xlsx", data=workbook)
    assert report.ok, report.problems
    with pytest.raises(ValidationError) as refused:
        intake.confirm(enterprise=power, sha256=report.sha256, name=report.name, by=filer)
    assert refused.value.messages == [message]

    assert not ActivityRecord.objects.filter(year=YEAR, month=3).exists()
