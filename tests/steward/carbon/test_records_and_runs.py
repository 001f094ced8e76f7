"""Stored records are versioned, results are pinned to their factor set, recomputation is explicit."""

import shutil
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from steward.carbon import accounting, services
from steward.carbon.models import ActivityRecord, EmissionSource
from steward.carbon.selectors import month_request, run_is_stale
from steward.carbon.services import ParameterInput
from steward.factors.loader import DATA_DIR, load_factor_library
from tenants.models import Enterprise, User


@pytest.fixture
def paper_mill():
    """The boiler-using paper mill (造纸, cn_paper: industry 2221) with a coal boiler and a grid connection."""
    with schema_context("ent_nth_paper"):
        boiler = services.add_facility(code="B1", name="1号锅炉", kind="boiler")
        site = services.add_facility(code="SITE", name="全厂", kind="site")
        coal = services.add_source(
            facility=boiler,
            code="B1-COAL",
            name="1号锅炉烟煤",
            kind="fuel_combustion",
            fuel_code="bituminous_coal",
            unit="t",
        )
        grid = services.add_source(
            facility=site, code="GRID", name="外购电力", kind="purchased_electricity", unit="MWh"
        )
        yield {
            "enterprise": Enterprise.objects.get(slug="nth-paper"),
            "coal": coal,
            "grid": grid,
            "filer": User.objects.get(username="paper.filer"),
        }


@pytest.mark.django_db
def test_a_month_from_records_to_a_traced_result(paper_mill):
    filer = paper_mill["filer"]
    services.record_activity(
        source=paper_mill["coal"],
        year=2025,
        month=3,
        quantity=Decimal("1000"),
        unit="t",
        data_source="production_metering",
        entered_by=filer,
        parameters=[ParameterInput("ncv", Decimal("21.0"), "GJ/t")],
    )
    services.record_activity(
        source=paper_mill["grid"],
        year=2025,
        month=3,
        quantity=Decimal("2000000"),
        unit="kWh",
        data_source="settlement_voucher",
        entered_by=filer,
    )
    run = accounting.compute_month(enterprise=paper_mill["enterprise"], year=2025, month=3, by=filer)
    # coal: 1000 × 21.0 (measured) = 21000; × 0.0261 = 548.1; × 0.93 (library) = 509.733; × 44/12 = 1869.02
    # electricity: 2,000,000 kWh = 2000 MWh × 0.5306 (2023 national factor for 2025 data) = 1061.20
    lines = {line["key"]: line for line in run.result["lines"]}
    assert lines["fuel[0]"]["tco2"] == "1869.02" and lines["purchased_electricity"]["tco2"] == "1061.20"
    assert run.total_tco2 == Decimal("2930.22") and run.methodology == "cn_paper"
    assert lines["fuel[0]"]["inputs"][1] == {
        "name": "NCV",
        "value": "21",
        "unit": "GJ/t",
        "origin": "measured",
    }


@pytest.mark.django_db
def test_corrections_are_new_versions_with_a_reason_and_mark_the_result_stale(paper_mill):
    filer = paper_mill["filer"]
    first = services.record_activity(
        source=paper_mill["coal"],
        year=2025,
        month=4,
        quantity=Decimal("900"),
        unit="t",
        data_source="inventory_ledger",
        entered_by=filer,
    )
    run = accounting.compute_month(enterprise=paper_mill["enterprise"], year=2025, month=4, by=filer)
    with pytest.raises(ValidationError) as again:
        services.record_activity(
            source=paper_mill["coal"],
            year=2025,
            month=4,
            quantity=Decimal("950"),
            unit="t",
            data_source="inventory_ledger",
            entered_by=filer,
        )
    assert again.value.code == "already_recorded"
    with pytest.raises(ValidationError):
        services.correct_activity(
            record=first,
            quantity=Decimal("950"),
            unit="t",
            data_source="inventory_ledger",
            reason=" ",
            entered_by=filer,
        )
    second = services.correct_activity(
        record=first,
        quantity=Decimal("950"),
        unit="t",
        data_source="production_metering",
        reason="盘点差错更正",
        entered_by=filer,
    )
    assert (second.version, second.supersedes, second.correction_reason) == (2, first, "盘点差错更正")
    assert ActivityRecord.objects.get(pk=first.pk).quantity == Decimal("900")  # the first version is intact
    with pytest.raises(ValidationError) as stale:
        services.correct_activity(
            record=first,
            quantity=Decimal("1"),
            unit="t",
            data_source="inventory_ledger",
            reason="x",
            entered_by=filer,
        )
    assert stale.value.code == "stale_version"
    assert run_is_stale(run)
    assert (
        month_request(year=2025, month=4, methodology="gbt32150_generic")["fuels"][0]["consumption"]["value"]
        == "950"
    )


@pytest.mark.django_db
def test_new_factors_never_change_a_result_and_recomputation_shows_old_and_new(paper_mill, tmp_path):
    filer = paper_mill["filer"]
    services.record_activity(
        source=paper_mill["coal"],
        year=2025,
        month=5,
        quantity=Decimal("1000"),
        unit="t",
        data_source="production_metering",
        entered_by=filer,
    )
    run = accounting.compute_month(enterprise=paper_mill["enterprise"], year=2025, month=5, by=filer)
    # 1000 × 19.570 × 0.0261 × 0.93 × 44/12 = 1741.75
    assert run.total_tco2 == Decimal("1741.75")
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    table = data / "fuel_defaults_cn_guidelines.csv"
    table.write_text(
        table.read_text().replace(
            "bituminous_coal,烟煤,t,19.570,26.1,0.93", "bituminous_coal,烟煤,t,19.570,26.18,0.93"
        )
    )
    new_set, created = load_factor_library(data_dir=data, note="power guideline CC 26.18")
    assert created
    run.refresh_from_db()
    assert run.total_tco2 == Decimal("1741.75") and run.factor_set_version != new_set.version
    with pytest.raises(ValidationError) as again:
        accounting.compute_month(enterprise=paper_mill["enterprise"], year=2025, month=5, by=filer)
    assert again.value.code == "already_computed"
    with pytest.raises(ValidationError):
        accounting.recompute_month(
            enterprise=paper_mill["enterprise"], year=2025, month=5, by=filer, reason=""
        )
    change = accounting.recompute_month(
        enterprise=paper_mill["enterprise"],
        year=2025,
        month=5,
        by=filer,
        reason="因子库更新：烟煤单位热值含碳量 26.18",
    )
    # 1000 × 19.570 × 0.02618 × 0.93 × 44/12 = 1747.09 ; change +5.34
    assert change.new.total_tco2 == Decimal("1747.09") and change.change_tco2 == Decimal("5.34")
    assert change.new.factor_set_version == new_set.version and change.new.supersedes == change.old
    assert change.line_changes() == [
        {"key": "fuel[0]", "label": "1号锅炉烟煤", "old": "1741.75", "new": "1747.09"}
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kwargs", "field", "code"),
    [
        ({"unit": "bananas"}, "unit", "unknown_unit"),
        ({"unit": "m3"}, "unit", "wrong_dimension"),
        ({"quantity": Decimal("-1")}, "quantity", "negative"),
        ({"parameters": [ParameterInput("ncv", Decimal("20"), "GJ/10^4 Nm3")]}, "ncv", "wrong_dimension"),
    ],
)
def test_bad_figures_are_refused_with_the_field_and_a_code(paper_mill, kwargs, field, code):
    arguments = {
        "source": paper_mill["coal"],
        "year": 2025,
        "month": 6,
        "quantity": Decimal("10"),
        "unit": "t",
        "data_source": "production_metering",
        "entered_by": paper_mill["filer"],
    } | kwargs
    with pytest.raises(ValidationError) as caught:
        services.record_activity(**arguments)
    assert caught.value.error_dict[field][0].code == code


@pytest.mark.django_db
def test_sources_need_a_known_fuel_and_a_fitting_unit(paper_mill):
    with schema_context("ent_nth_paper"):
        facility = paper_mill["coal"].facility
        with pytest.raises(ValidationError) as fuel:
            services.add_source(
                facility=facility, code="X", name="x", kind="fuel_combustion", fuel_code="peat", unit="t"
            )
        assert "fuel_code" in fuel.value.error_dict
        with pytest.raises(ValidationError) as unit:
            services.add_source(
                facility=facility,
                code="G",
                name="天然气",
                kind="fuel_combustion",
                fuel_code="natural_gas",
                unit="t",
            )
        assert unit.value.error_dict["unit"][0].code == "wrong_dimension"
        assert EmissionSource.objects.filter(code__in=["X", "G"]).count() == 0
