"""The stock ledger and grid bills: entered on the month page, versioned, and checked by DQ-K05 / DQ-E06."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from steward.carbon import ledgers
from steward.carbon.models import EmissionSource
from steward.quality.pack import check_month
from steward.quality.selectors import month_context
from tenants.models import Enterprise, User


def _bill_file(body: bytes = b"%PDF-1.4 grid bill 2025-10"):
    return SimpleUploadedFile("电费结算单.pdf", body, "application/pdf")


def _rules_on(enterprise, item: str) -> set[str]:
    return {f.rule_id for f in check_month(month_context(enterprise, 2025, 10)) if f.item == item}


@pytest.mark.django_db
def test_filer_enters_the_stock_ledger_and_the_grid_bill_and_the_rules_check_them(user_client):
    client = user_client("power.filer")
    power = Enterprise.objects.get(slug="cx-power")
    with schema_context(power.schema_name):
        coal, grid = EmissionSource.objects.get(code="U1-COAL"), EmissionSource.objects.get(code="GRID")
        filer = User.objects.get(username="power.filer")
        from steward.carbon import services

        services.record_activity(
            source=coal,
            year=2025,
            month=10,
            quantity=Decimal("120000"),
            unit="t",
            data_source="production_metering",
            entered_by=filer,
        )
        services.record_activity(
            source=grid,
            year=2025,
            month=10,
            quantity=Decimal("850"),
            unit="MWh",
            data_source="settlement_voucher",
            entered_by=filer,
        )
        assert "DQ-E06" in _rules_on(power, "GRID")  # claims the bill as source, none attached
    stock = {
        "save_stock": "1",
        "stock-source": coal.pk,
        "stock-opening_stock": "30000",
        "stock-receipts": "100000",
        "stock-closing_stock": "28000",
        "stock-unit": "t",
    }
    assert client.post("/e/cx-power/carbon/2025/10/", stock).status_code == 302
    bill = {
        "save_bill": "1",
        "bill-source": grid.pk,
        "bill-bill_number": "GD-2025-10-0457",
        "bill-billed_quantity": "850000",
        "bill-unit": "kWh",
        "bill-upload": _bill_file(),
    }
    assert client.post("/e/cx-power/carbon/2025/10/", bill).status_code == 302
    with schema_context(power.schema_name):
        assert "DQ-K05" in _rules_on(power, "U1-COAL")  # 30000 + 100000 − 28000 = 102000 t ≠ 120000 t
        assert "DQ-E06" not in _rules_on(power, "GRID")  # 850000 kWh = 850 MWh
        assert ledgers.current_bill(grid, 2025, 10).evidence.kind == "invoice"
    # A correction without a reason is refused with the field named; with one it adds version 2.
    stock["stock-receipts"] = "118000"
    page = client.post("/e/cx-power/carbon/2025/10/", stock)
    assert page.status_code == 200 and "更正必须说明原因" in page.content.decode()
    stock["stock-reason"] = "补录月末两船到港煤"
    assert client.post("/e/cx-power/carbon/2025/10/", stock).status_code == 302
    with schema_context(power.schema_name):
        assert ledgers.current_stock(coal, 2025, 10).version == 2
        assert "DQ-K05" not in _rules_on(power, "U1-COAL")
    month_page = client.get("/e/cx-power/carbon/2025/10/").content.decode()
    assert "GD-2025-10-0457" in month_page and "118,000" in month_page


@pytest.mark.django_db
def test_ledgers_refuse_the_wrong_source_a_missing_bill_file_and_negative_stock():
    power = Enterprise.objects.get(slug="cx-power")
    with schema_context(power.schema_name):
        coal, grid = EmissionSource.objects.get(code="U1-COAL"), EmissionSource.objects.get(code="GRID")
        filer = User.objects.get(username="power.filer")
        common = {"year": 2025, "month": 9, "by": filer}
        with pytest.raises(ValidationError) as error:
            ledgers.record_electricity_bill(
                source=coal, bill_number="X", billed_quantity=Decimal(1), unit="MWh", **common
            )
        assert error.value.error_dict["source"][0].code == "wrong_source_kind"
        with pytest.raises(ValidationError) as error:
            ledgers.record_electricity_bill(
                source=grid, bill_number="GD-1", billed_quantity=Decimal(1), unit="MWh", **common
            )
        assert error.value.error_dict["upload"][0].code == "bill_file_required"
        with pytest.raises(ValidationError) as error:
            ledgers.record_fuel_stock(
                source=coal,
                opening_stock=Decimal(-1),
                receipts=Decimal(1),
                closing_stock=Decimal(0),
                unit="t",
                **common,
            )
        assert "opening_stock" in error.value.error_dict


@pytest.mark.django_db
def test_the_seal_covers_the_stock_ledger_and_the_bill_and_verify_seals_names_a_forged_bill():
    from django.db import connection

    from steward.filing.models import FilingStatus, MonthlyFiling
    from steward.filing.seal import build_payload, seal_of, verify_chain
    from workflows import monthly_filing as services

    power = Enterprise.objects.get(slug="cx-power")
    with schema_context(power.schema_name):
        filer = User.objects.get(username="power.filer")
        grid = EmissionSource.objects.get(code="GRID")
        bill = ledgers.record_electricity_bill(
            source=grid,
            year=2025,
            month=8,
            bill_number="GD-2025-08",
            billed_quantity=Decimal("850"),
            unit="MWh",
            upload=_bill_file(b"%PDF-1.4 grid bill 2025-08"),
            by=filer,
        )
        filing = services.open_filing(enterprise=power, year=2025, month=8, by=filer)
        payload = build_payload(filing)
        assert payload["bills"][0]["bill_number"] == "GD-2025-08"
        assert payload["bills"][0]["evidence"] == bill.evidence.sha256
        MonthlyFiling.objects.filter(pk=filing.pk).update(
            status=FilingStatus.LOCKED,
            sealed_payload=payload,
            seal=seal_of(payload, "0" * 64),
            previous_seal="0" * 64,
        )
        assert verify_chain() == []
        with connection.cursor() as cursor:  # a superuser turns the append-only trigger off to forge a bill
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute("UPDATE carbon_electricitybill SET billed_quantity = 800 WHERE id = %s", [bill.pk])
            cursor.execute("SET LOCAL session_replication_role = origin")
        problems = verify_chain()
    assert len(problems) == 1 and "在应用之外被修改" in problems[0]
