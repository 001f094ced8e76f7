"""The 存证 hand-off of a locked month's process data (issue 18 item 4): aluminium's anode and anode-effect items,
steel's per process step (工序), and one row per clinker line for a cement plant with two kilns.

The months are built from records and locked here; the expected items, their order and their values are
written out by hand (the worked examples of docs/calculation.md), never read from data/platform_items.csv.
The paper mill (nth-paper, whose carbon steward is qingyuan) stands in for the aluminium and steel plants by
taking their industry class for the test, as tests/steward/carbon/test_sector_month_records.py does; years are
three back from the demo's last month (nothing else files them).
"""

from __future__ import annotations

import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext
from django_tenants.utils import schema_context
from openpyxl import load_workbook

from steward.carbon import accounting, services
from steward.carbon.models import EmissionSource
from steward.carbon.services import ParameterInput
from steward.demo.carbon import _walk_month
from steward.demo.period import last_month
from steward.filing.models import FilingStatus, MonthlyFiling
from steward.handoff import items
from tenants.models import Enterprise, Industry, User

pytestmark = pytest.mark.django_db
YEAR = last_month()[0] - 3
PLANT, FILER, STEWARD = "nth-paper", "paper.filer", "qingyuan.reviewer"


def _as(code: str, name: str) -> Enterprise:
    industry, _created = Industry.objects.get_or_create(code=code, defaults={"name_zh": name})
    enterprise = Enterprise.objects.get(slug=PLANT)
    enterprise.industry = industry
    enterprise.save(update_fields=["industry"])
    return enterprise


def _enter(source, quantity, *parameters, year, month, unit="t", filer=FILER):
    services.enter_activity(
        source=source,
        year=year,
        month=month,
        quantity=Decimal(quantity),
        unit=unit,
        data_source="production_metering",
        parameters=[ParameterInput(name, Decimal(value), u) for name, value, u in parameters],
        by=User.objects.get(username=filer),
    )


def _compute_and_lock(
    enterprise: Enterprise, year: int, month: int, filer: str, steward: str
) -> MonthlyFiling:
    filer_user, steward_user = User.objects.get(username=filer), User.objects.get(username=steward)
    accounting.compute_month(enterprise=enterprise, year=year, month=month, by=filer_user)
    _walk_month(enterprise, year, month, filer_user, steward_user, approve=True)
    filing = MonthlyFiling.objects.get(year=year, month=month, version=1)
    assert filing.status == FilingStatus.LOCKED and filing.seal
    return filing


def _downloads(client, slug: str, year: int, month: int) -> tuple[dict, list[tuple], dict]:
    """(JSON, XLSX item rows, evidence-bundle manifest) of the locked month, as the filer downloads them."""
    base = f"/e/{slug}/filing/{year}/{month}/platform"
    answer = client.get(f"{base}/items.json")
    assert answer.status_code == 200, answer.content.decode()[:400]
    body = json.loads(answer.content)
    sheet = load_workbook(io.BytesIO(client.get(f"{base}/items.xlsx").content)).active
    rows = list(sheet.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[0] == "序号") + 1
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"{base}/evidence.zip").content))
    return body, rows[start:], json.loads(archive.read("manifest.json"))


def _table(body: dict) -> list[tuple]:
    return [(item["name"], item["subject"], item["value"], item["unit"]) for item in body["items"]]


def _assert_same_in_xlsx_and_manifest(body: dict, rows: list[tuple], manifest: dict) -> None:
    assert [(row[2], row[3] or "") for row in rows] == [
        (item["name"], item["subject"]) for item in body["items"]
    ]
    for row, item in zip(rows, body["items"], strict=True):
        if item["value"] is None:
            assert row[4] == "本月存证中无此项"
        else:
            assert isinstance(row[4], int | float) and Decimal(str(row[4])) == Decimal(item["value"])
        assert row[5] == (item["unit"] or None) and row[6] == "待核实"
    assert manifest["seal"] == body["seal"]
    assert manifest["platform_items"]["sector"] == body["sector"]
    assert manifest["platform_items"]["items"] == body["items"]


# An aluminium smelter's month (tests/steward/carbon/test_sector_month_records.py, docs/calculation.md):
#   anode   30,000 t × 0.41 × (1 − 2 % − 0.5 %) × 44/12        = 43,972.50 tCO2
#   PFC     30,000 t × (0.04 × 6500 + 0.004 × 9200) / 1000    =  8,904.00 tCO2e
#   diesel  100 t × 86 % × 98 % × 44/12                       =    309.03 tCO2
#   direct                                                      53,185.53 tCO2e (no electricity: also the total)
ALUMINIUM_ITEMS = [
    ("原铝产量", "电解槽系列一", "30000", "t"),
    ("阳极净耗", "电解槽系列一", "410", "kg/t"),
    ("阳极含碳量（1 − 含硫量 − 灰分）", "电解槽系列一", "97.5", "%"),  # 100 % − 2 % − 0.5 %
    ("阳极含硫量", "电解槽系列一", "2", "%"),
    ("阳极灰分", "电解槽系列一", "0.5", "%"),
    ("阳极效应CF4排放因子", "电解槽系列一", "0.04", "kg/t"),
    ("阳极效应C2F6排放因子", "电解槽系列一", "0.004", "kg/t"),
    ("炭阳极消耗排放量（tCO2）", "", "43972.5", "tCO2"),
    ("阳极效应全氟化碳排放量（tCO2e）", "", "8904", "tCO2e"),
    ("燃料消耗量", "电解车间柴油", "100", "t"),
    ("低位发热量", "", None, ""),
    ("元素碳含量（收到基）", "电解车间柴油", "86", "%"),
    ("购入电量", "", None, ""),
    ("月度排放量（tCO2e）", "", "53185.53", "tCO2e"),
    ("月度直接排放量（履约口径，tCO2e）", "", "53185.53", "tCO2e"),
]


def test_a_locked_aluminium_month_hands_off_its_anode_and_anode_effect_items(user_client):
    month = 5
    enterprise = _as("3216", "铝冶炼")
    with schema_context(enterprise.schema_name):
        potline = services.add_facility(code="AL1", name="400kA 电解系列", kind="electrolysis")
        cells = services.add_source(
            facility=potline, code="AL1-EL", name="电解槽系列一", kind="aluminium_electrolysis", unit="t"
        )
        diesel = services.add_source(
            facility=potline,
            code="AL1-DSL",
            name="电解车间柴油",
            kind="fuel_combustion",
            unit="t",
            fuel_code="diesel",
        )
        _enter(
            cells,
            "30000",
            ("net_anode_consumption", "410", "kg/t"),
            ("anode_sulphur", "2", "%"),
            ("anode_ash", "0.5", "%"),
            ("cf4_emission_factor", "0.04", "kg/t"),
            ("c2f6_emission_factor", "0.004", "kg/t"),
            year=YEAR,
            month=month,
        )
        _enter(
            diesel,
            "100",
            ("carbon_content_ar", "86", "%"),
            ("oxidation_rate", "98", "%"),
            year=YEAR,
            month=month,
        )
        filing = _compute_and_lock(enterprise, YEAR, month, FILER, STEWARD)
    connection.set_schema_to_public()
    body, rows, manifest = _downloads(user_client(FILER), PLANT, YEAR, month)
    assert body["sector"] == "aluminium" and body["sector_name"] == "铝冶炼" and body["seal"] == filing.seal
    assert _table(body) == ALUMINIUM_ITEMS
    # The values are the sealed records and the sealed direct figure.
    sealed = {record["source"]: record for record in filing.sealed_payload["records"]}
    assert Decimal(body["items"][0]["value"]) == Decimal(sealed["AL1-EL"]["quantity"])
    assert body["items"][-1]["value"] == filing.sealed_payload["result"]["direct_tco2"]
    assert all(item["status"] == "to_verify" for item in body["items"])
    _assert_same_in_xlsx_and_manifest(body, rows, manifest)


# A steel works' month by process step (the facility's kind names the process):
#   烧结  limestone        50,000 t × 11.5 % × 44/12          = 21,083.33 tCO2
#   炼钢  dolomite          5,000 t × 12.5 % × 44/12          =  2,291.67 tCO2
#   炼钢  pig iron         10,000 t ×  4.2 % × 44/12          =  1,540.00 tCO2
#   炼钢  crude steel    −200,000 t ×  0.2 % × 44/12          = −1,466.67 tCO2 (carbon fixed)
#   炼钢  converter dust   −1,000 t ×  5 % × 44/12            =   −183.33 tCO2 (carbon-bearing waste leaving)
#   direct  (5,750 + 625 + 420 − 400 − 50) tC × 44/12 = 6,345 tC × 44/12 = 23,265.00 tCO2
EMPTY_STEP = [
    ("含碳输入物料消耗量", "t"),
    ("含碳输入物料含碳量", ""),
    ("固碳产品及含碳废物产出量", "t"),
    ("固碳产品及含碳废物含碳量", ""),
]


def _empty(step: str) -> list[tuple]:
    """A process step the month has no records of: its items listed empty, never left out."""
    return [(f"{step}：{name}", "", None, unit) for name, unit in EMPTY_STEP]


STEEL_ITEMS = [
    ("烧结工序：含碳输入物料消耗量", "石灰石", "50000", "t"),
    ("烧结工序：含碳输入物料含碳量", "石灰石", "11.5", "%"),
    ("烧结工序：固碳产品及含碳废物产出量", "", None, "t"),
    ("烧结工序：固碳产品及含碳废物含碳量", "", None, ""),
    *_empty("球团工序"),
    *_empty("炼铁工序"),
    ("炼钢工序：含碳输入物料消耗量", "白云石", "5000", "t"),  # BOF1-DOL before BOF1-PI
    ("炼钢工序：含碳输入物料消耗量", "外购生铁", "10000", "t"),
    ("炼钢工序：含碳输入物料含碳量", "白云石", "12.5", "%"),
    ("炼钢工序：含碳输入物料含碳量", "外购生铁", "4.2", "%"),
    ("炼钢工序：固碳产品及含碳废物产出量", "粗钢", "200000", "t"),  # BOF1-CS before BOF1-DUST
    ("炼钢工序：固碳产品及含碳废物产出量", "转炉除尘灰", "1000", "t"),
    ("炼钢工序：固碳产品及含碳废物含碳量", "粗钢", "0.2", "%"),
    ("炼钢工序：固碳产品及含碳废物含碳量", "转炉除尘灰", "5", "%"),
    *_empty("轧钢工序"),
    *_empty("其他工序"),
    ("燃料消耗量", "", None, ""),
    ("低位发热量", "", None, ""),
    ("元素碳含量（收到基）", "", None, ""),
    ("单位热值含碳量", "", None, ""),
    ("购入电量", "", None, ""),
    ("购入热力", "", None, ""),
    ("月度排放量（tCO2）", "", "23265", "tCO2"),
    ("月度直接排放量（履约口径，tCO2）", "", "23265", "tCO2"),
]


def test_a_locked_steel_month_hands_off_each_process_steps_inputs_and_outputs(user_client):
    month = 7
    enterprise = _as("3120", "炼钢")
    with schema_context(enterprise.schema_name):
        sinter = services.add_facility(code="S1", name="1号烧结机", kind="sintering")
        converter = services.add_facility(code="BOF1", name="1号转炉", kind="steelmaking_furnace")
        for facility, code, name, kind, quantity, carbon in (
            (sinter, "S1-LS", "石灰石", "carbon_input", "50000", "11.5"),
            (converter, "BOF1-PI", "外购生铁", "carbon_input", "10000", "4.2"),
            (converter, "BOF1-DOL", "白云石", "carbon_input", "5000", "12.5"),
            (converter, "BOF1-CS", "粗钢", "carbon_output", "200000", "0.2"),
            (converter, "BOF1-DUST", "转炉除尘灰", "carbon_waste", "1000", "5"),
        ):
            source = services.add_source(facility=facility, code=code, name=name, kind=kind, unit="t")
            _enter(source, quantity, ("carbon_content", carbon, "%"), year=YEAR, month=month)
        filing = _compute_and_lock(enterprise, YEAR, month, FILER, STEWARD)
    connection.set_schema_to_public()
    assert filing.sealed_payload["result"]["direct_tco2"] == "23265.00"
    body, rows, manifest = _downloads(user_client(FILER), PLANT, YEAR, month)
    assert body["sector"] == "steel" and body["sector_name"] == "钢铁生产"
    assert _table(body) == STEEL_ITEMS
    sealed = {record["source"]: record for record in filing.sealed_payload["records"]}
    values = {(item["name"], item["subject"]): item["value"] for item in body["items"]}
    assert Decimal(values[("炼钢工序：固碳产品及含碳废物产出量", "粗钢")]) == Decimal(
        sealed["BOF1-CS"]["quantity"]
    )
    _assert_same_in_xlsx_and_manifest(body, rows, manifest)


def test_a_cement_plant_with_two_kilns_hands_off_one_row_per_clinker_line(user_client):
    """The two-kiln month of docs/calculation.md (tests/steward/carbon/test_cement_month_records.py), locked:
    each clinker item has one row per line, and the direct figure is both lines' (no stand-by boiler here):

    coal 24,147.20 + K1 54,096.43 + 1,173.33 + K2 25,643.36 + 429.00 = 105,489.32 tCO2"""
    month = 9
    enterprise = Enterprise.objects.get(slug="wx-cement")
    with schema_context(enterprise.schema_name):
        sources = {source.code: source for source in EmissionSource.objects.all()}
        kiln_2 = services.add_facility(code="K2", name="2500t/d 熟料生产线", kind="kiln")
        sources["K2-CLK"] = services.add_source(
            facility=kiln_2, code="K2-CLK", name="2号窑熟料煅烧", kind="clinker_process", unit="t"
        )
        for code, quantity, unit, parameters in (
            ("K1-COAL", "12000", "t", (("ncv", "22.1", "GJ/t"), ("carbon_content_ar", "56", "%"), ("oxidation_rate", "98", "%"))),
            ("K1-CLK", "100000", "t", (("clinker_cao", "65", "%"), ("clinker_mgo", "2.5", "%"), ("noncarbonate_cao", "1", "%"), ("noncarbonate_mgo", "0", "%"), ("kiln_dust", "1500", "t"), ("bypass_dust", "500", "t"), ("raw_meal", "160000", "t"), ("raw_meal_carbon", "0.2", "%"))),
            ("K2-CLK", "50000", "t", (("clinker_cao", "64", "%"), ("clinker_mgo", "3", "%"), ("noncarbonate_cao", "3", "%"), ("noncarbonate_mgo", "0.5", "%"), ("kiln_dust", "600", "t"), ("raw_meal", "78000", "t"), ("raw_meal_carbon", "0.15", "%"))),
            ("GRID", "8000", "MWh", (("clinker_facility_electricity", "6000", "MWh"),)),
        ):  # fmt: skip
            _enter(
                sources[code], quantity, *parameters, year=YEAR, month=month, unit=unit, filer="cement.filer"
            )
        filing = _compute_and_lock(enterprise, YEAR, month, "cement.filer", "greencarbon.manager")
    connection.set_schema_to_public()
    assert filing.sealed_payload["result"]["direct_tco2"] == "105489.32"
    body, rows, manifest = _downloads(user_client("cement.filer"), "wx-cement", YEAR, month)
    assert body["sector"] == "cement"
    table = _table(body)
    assert table[:18] == [
        ("熟料产量", "熟料煅烧", "100000", "t"),  # K1-CLK, then K2-CLK
        ("熟料产量", "2号窑熟料煅烧", "50000", "t"),
        ("熟料中CaO含量", "熟料煅烧", "65", "%"),
        ("熟料中CaO含量", "2号窑熟料煅烧", "64", "%"),
        ("熟料中非碳酸盐CaO含量", "熟料煅烧", "1", "%"),
        ("熟料中非碳酸盐CaO含量", "2号窑熟料煅烧", "3", "%"),
        ("熟料中MgO含量", "熟料煅烧", "2.5", "%"),
        ("熟料中MgO含量", "2号窑熟料煅烧", "3", "%"),
        ("熟料中非碳酸盐MgO含量", "熟料煅烧", "0", "%"),
        ("熟料中非碳酸盐MgO含量", "2号窑熟料煅烧", "0.5", "%"),
        ("窑头粉尘量", "熟料煅烧", "1500", "t"),
        ("窑头粉尘量", "2号窑熟料煅烧", "600", "t"),
        ("旁路放风粉尘量", "熟料煅烧", "500", "t"),  # the second kiln has no bypass
        ("生料消耗量", "熟料煅烧", "160000", "t"),
        ("生料消耗量", "2号窑熟料煅烧", "78000", "t"),
        ("生料非燃料碳含量", "熟料煅烧", "0.2", "%"),
        ("生料非燃料碳含量", "2号窑熟料煅烧", "0.15", "%"),
        ("燃料消耗量", "窑头窑尾烟煤", "12000", "t"),
    ]
    assert table[-1] == ("月度直接排放量（履约口径，tCO2）", "", "105489.32", "tCO2")
    _assert_same_in_xlsx_and_manifest(body, rows, manifest)


def test_every_platform_item_reads_in_english():
    with translation.override("en"):
        untranslated = {
            spec.name
            for specs in items.item_specs().values()
            for spec in specs
            if gettext(spec.name) == spec.name
        }
        sectors = {name for name in items.SECTOR_NAMES.values() if gettext(name) == name}
    assert untranslated == set() and sectors == set()


def test_every_value_from_of_the_csv_is_understood():
    """A misspelt kind, process or form in data/platform_items.csv fails here, not on a filer's download."""
    from steward.handoff.values import SealedMonth, rows_for

    with schema_context("ent_wx_cement"):
        empty = SealedMonth({"records": [], "outputs": [], "result": None})
        for specs in items.item_specs().values():
            for spec in specs:
                assert rows_for(spec.value_from, empty) == [], spec.value_from
        with pytest.raises(ValueError, match="unknown process"):
            rows_for("carbon_input@smelting:quantity", empty)
        with pytest.raises(ValueError, match="unknown source kind"):
            rows_for("fuel+coal:quantity", empty)
