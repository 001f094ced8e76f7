"""Demo pollutant-permit data: the power plant (coal units) and the paper mill (coal boiler) each get a permit,
outlets with limits, source links with control technology, certified CEMS and hourly CEMS data
imported through the real import path for each month of last month's quarter up to it, with one exceedance each
in last month (and a few fault and stopped hours)."""

from __future__ import annotations

import calendar
import datetime
from decimal import Decimal

from django.db import transaction
from django_tenants.utils import schema_context

from steward.carbon import services as carbon
from steward.carbon.models import EmissionSource, Facility
from steward.demo.period import last_month
from steward.pollution import imports, services
from steward.pollution.models import Permit
from steward.pollution.services import LimitSpec, OutletSpec, PermitSpec
from tenants.models import Enterprise, User

D = Decimal


def cems_csv(
    year: int,
    month: int,
    *,
    base: dict[str, Decimal],
    flow: Decimal,
    oxygen: Decimal,
    spike: tuple[int, str, Decimal] | None = None,
) -> bytes:
    """A month of hourly CEMS rows with a gentle daily cycle, hour 50–51 in fault, hours 100–105 stopped,
    and `spike` = (hour index, pollutant, concentration) for one exceedance."""
    pollutants = list(base)
    lines = ["监测时间,流量(m3/h),含氧量(%)," + ",".join(f"{p}(mg/m3)" for p in pollutants) + ",运行状态"]
    hours = calendar.monthrange(year, month)[1] * 24
    start = datetime.datetime(year, month, 1)
    for index in range(hours):
        moment = (start + datetime.timedelta(hours=index)).strftime("%Y-%m-%d %H:%M")
        cycle = D(index % 24 - 12).copy_abs() / 100  # 0 … 0.12
        if 100 <= index <= 105:
            lines.append(f"{moment},,," + "," * (len(pollutants) - 1) + ",停运")
            continue
        if index in (50, 51):
            lines.append(f"{moment},{flow},{oxygen}," + "," * (len(pollutants) - 1) + ",故障")
            continue
        values = []
        for pollutant in pollutants:
            value = (base[pollutant] * (1 + cycle)).quantize(D("0.1"))
            if spike and spike[0] == index and spike[1] == pollutant:
                value = spike[2]
            values.append(str(value))
        lines.append(f"{moment},{flow},{oxygen}," + ",".join(values) + ",运行")
    return ("\n".join(lines) + "\n").encode()


def quarter_to_date(month: int) -> range:
    """The months of `month`'s quarter up to it: the capture rate that decides whether CEMS data may be used
    is the quarter's, so a demo with only last month's data would fall back to coefficients in its second and
    third months."""
    return range(3 * ((month - 1) // 3) + 1, month + 1)


def build_power_plant(year: int, month: int, by: User, cems_months: list[int] | None = None) -> None:
    permit = services.register_permit(
        spec=PermitSpec(
            permit_number="91330522MA2B3C4D5E001P",
            management_class=Permit.ManagementClass.KEY,
            valid_from=datetime.date(year - 1, 6, 1),
            valid_to=datetime.date(year + 4, 5, 31),
            report_frequencies=["monthly", "quarterly", "annual"],
            outlets=[
                OutletSpec(
                    "DA001",
                    "1号机组烟囱",
                    "main",
                    "air",
                    D("6"),
                    [
                        LimitSpec("SO2", D("35"), "hour", True),
                        LimitSpec("NOx", D("50"), "hour", True),
                        LimitSpec("PM", D("10"), "hour", True),
                    ],
                ),
                OutletSpec(
                    "DW001",
                    "废水总排口",
                    "general",
                    "water",
                    None,
                    [LimitSpec("COD", D("50"), "day"), LimitSpec("NH3-N", D("5"), "day")],
                ),
            ],
            permitted_amounts={
                "SO2": D("700"),
                "NOx": D("1200"),
                "PM": D("140"),
                "COD": D("20"),
                "NH3-N": D("2"),
            },
        ),
        by=by,
    )
    coal, gas = EmissionSource.objects.get(code="U1-COAL"), EmissionSource.objects.get(code="U1-GAS")
    for pollutant, technology, efficiency in (
        ("SO2", "石灰石-石膏湿法脱硫", D("0.98")),
        ("NOx", "低氮燃烧+SCR脱硝", D("0.85")),
        ("PM", "电除尘+湿式电除尘", D("0.999")),
    ):
        services.link_source(
            source=coal,
            outlet_code="DA001",
            pollutant=pollutant,
            by=by,
            control_technology=technology,
            removal_efficiency=efficiency,
        )
    services.link_source(
        source=gas,
        outlet_code="DA001",
        pollutant="NOx",
        by=by,
        control_technology="SCR脱硝",
        removal_efficiency=D("0.85"),
    )
    for code, standard in (("DA001", "HJ 75-2017"), ("DW001", "HJ 355-2019")):
        services.certify_cems(
            outlet_code=code,
            standard=standard,
            valid_from=datetime.date(year, 1, 1),
            valid_to=datetime.date(year, 12, 31),
            by=by,
        )
    for m in cems_months or quarter_to_date(month):  # tests may import only `month`, which is faster
        data = cems_csv(
            year,
            m,
            base={"SO2": D("21"), "NOx": D("36"), "PM": D("3.2")},
            flow=D("2100000"),
            oxygen=D("6.5"),
            spike=(200, "NOx", D("62.0")) if m == month else None,
        )
        imports.confirm(
            data=data,
            file_name=f"DA001-{year}-{m:02d}-小时数据.csv",
            outlet=permit.outlets.get(code="DA001"),
            interval="hour",
            by=by,
        )


def build_paper_mill(year: int, month: int, by: User, cems_months: list[int] | None = None) -> None:
    boiler = carbon.add_facility(code="B1", name="1号燃煤锅炉（35t/h）", kind="boiler")
    coal = carbon.add_source(
        facility=boiler,
        code="B1-COAL",
        name="1号锅炉燃煤",
        kind="fuel_combustion",
        fuel_code="bituminous_coal",
        unit="t",
    )
    for m in range(1, month + 1):
        carbon.record_activity(
            source=coal,
            year=year,
            month=m,
            quantity=D("3600"),
            unit="t",
            data_source="inventory_ledger",
            entered_by=by,
        )
    permit = services.register_permit(
        spec=PermitSpec(
            permit_number="91330500MA2G8H1J2001P",
            management_class=Permit.ManagementClass.SIMPLIFIED,
            valid_from=datetime.date(year - 2, 3, 1),
            valid_to=datetime.date(year + 3, 2, 28),
            report_frequencies=["quarterly", "annual"],
            outlets=[
                OutletSpec(
                    "DA001",
                    "锅炉烟囱",
                    "main",
                    "air",
                    D("9"),
                    [
                        LimitSpec("SO2", D("200"), "hour", True),
                        LimitSpec("NOx", D("200"), "hour", True),
                        LimitSpec("PM", D("30"), "hour", True),
                    ],
                ),
                OutletSpec(
                    "DW001",
                    "废水总排口",
                    "main",
                    "water",
                    None,
                    [LimitSpec("COD", D("80"), "day"), LimitSpec("NH3-N", D("8"), "day")],
                ),
            ],
            permitted_amounts={
                "SO2": D("95"),
                "NOx": D("150"),
                "PM": D("30"),
                "COD": D("90"),
                "NH3-N": D("9"),
            },
        ),
        by=by,
    )
    for pollutant, technology, efficiency, operating_rate in (
        ("SO2", "双碱法脱硫", D("0.90"), D("0.95")),
        ("NOx", "SNCR脱硝", D("0.50"), D("0.95")),
        ("PM", "布袋除尘", D("0.995"), D("1")),
    ):
        services.link_source(
            source=coal,
            outlet_code="DA001",
            pollutant=pollutant,
            by=by,
            control_technology=technology,
            removal_efficiency=efficiency,
            operating_rate=operating_rate,
        )
    services.certify_cems(
        outlet_code="DA001",
        standard="HJ 75-2017",
        valid_from=datetime.date(year, 1, 1),
        valid_to=datetime.date(year, 12, 31),
        by=by,
    )
    for m in cems_months or quarter_to_date(month):  # tests may import only `month`, which is faster
        data = cems_csv(
            year,
            m,
            base={"SO2": D("95"), "NOx": D("120"), "PM": D("12")},
            flow=D("62000"),
            oxygen=D("10.2"),
            spike=(321, "SO2", D("230.0")) if m == month else None,
        )
        imports.confirm(
            data=data,
            file_name=f"锅炉DA001-{year}-{m:02d}.csv",
            outlet=permit.outlets.get(code="DA001"),
            interval="hour",
            by=by,
        )


@transaction.atomic
def load_demo_pollution() -> None:
    year, month = last_month()
    for slug, username, build in (
        ("cx-power", "power.filer", build_power_plant),
        ("nth-paper", "paper.filer", build_paper_mill),
    ):
        enterprise = Enterprise.objects.get(slug=slug)
        with schema_context(enterprise.schema_name):
            if Permit.objects.exists() or (slug == "nth-paper" and Facility.objects.exists()):
                continue
            build(year, month, User.objects.get(username=username))
