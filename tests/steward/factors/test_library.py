"""The factor library keeps every row's source and status, and a publication never changes an old set."""

import shutil
from decimal import Decimal

import pytest

from steward.factors.loader import DATA_DIR, load_factor_library
from steward.factors.models import FactorSet, FuelFactor, GridFactor


@pytest.mark.django_db
def test_loaded_rows_keep_values_units_sources_and_status():
    current = FactorSet.current()
    coal = current.fuel_factors.get(row_id="cn:bituminous_coal")
    assert coal.ncv_gj_per_unit == Decimal("19.570")
    assert coal.carbon_content_tc_per_gj == Decimal("0.0261")  # 26.1 tC/TJ ÷ 1000
    assert coal.oxidation_rate == Decimal("0.93")
    assert coal.status == "to_verify" and "GB/T 32150" in coal.source_document
    gas = current.fuel_factors.get(row_id="ipcc:natural_gas")
    assert gas.status == "verified" and gas.carbon_content_tc_per_gj == Decimal("0.0153")
    ets = current.grid_factors.get(regime="ets_power", data_year=2021)
    assert ets.value_tco2_per_mwh == Decimal("0.5810") and ets.status == "verified"
    assert current.grid_factors.get(regime="ets_power", data_year=2022).status == "to_verify"


@pytest.mark.django_db
def test_reloading_unchanged_tables_publishes_nothing():
    before = FactorSet.objects.count()
    factor_set, created = load_factor_library()
    assert not created and FactorSet.objects.count() == before and factor_set == FactorSet.current()


@pytest.mark.django_db
def test_a_changed_table_is_a_new_version_and_the_old_one_is_untouched(tmp_path):
    old = FactorSet.current()
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    grid = data / "grid_factors_cn.csv"
    grid.write_text(
        grid.read_text().replace(
            "0.5703,环办气候函〔2023〕43号,to_verify", "0.5703,环办气候函〔2023〕43号,verified"
        )
    )
    new, created = load_factor_library(data_dir=data, note="43号 confirmed")
    assert created and FactorSet.current() == new and new.version != old.version
    assert new.grid_factors.get(regime="ets_power", data_year=2022).status == "verified"
    assert old.grid_factors.get(regime="ets_power", data_year=2022).status == "to_verify"
    assert (
        FuelFactor.objects.filter(factor_set=old).count() == FuelFactor.objects.filter(factor_set=new).count()
    )
    assert GridFactor.objects.filter(factor_set=old).count() == 14


@pytest.mark.django_db
def test_factor_library_page_shows_status_and_source(user_client):
    page = user_client("power.filer").get("/factors/").content.decode()
    # rows by their source and fuel name, never the row id (cn:bituminous_coal)
    assert "国内指南缺省值 · 烟煤" in page and "cn:bituminous_coal" not in page
    assert "待核实" in page and "已核实" in page
    assert "环办气候函〔2022〕111号" in page
