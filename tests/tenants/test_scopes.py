"""Each grant sees exactly its scope (issue 21): the bureau never sees a figure of an unsubmitted month, a
steward never lists or downloads a file of a scope its engagement does not cover, and the fused inventory
shows each half only to a grant holding that scope, saying what is hidden and why."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.apps import apps as global_apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context
from openpyxl import load_workbook

from steward.carbon.models import CalculationRun
from steward.evidence.models import EvidenceFile
from steward.evidence.services import store_evidence
from steward.filing.models import FilingStatus, MonthlyFiling
from tenants.models import User

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LAST = TODAY.replace(day=1) - datetime.timedelta(days=1)


def _xlsx_rows(response) -> list[tuple]:
    assert response.status_code == 200
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def _submit_month(month: int) -> Decimal:
    """Put one month of the power plant in review (as the filer's submission leaves it); its run's total."""
    with schema_context("ent_cx_power"):
        MonthlyFiling.objects.create(
            year=LAST.year, month=month, status=FilingStatus.IN_REVIEW, deadline=TODAY
        )
        return CalculationRun.objects.get(year=LAST.year, month=month, superseded_by__isnull=True).total_tco2


def test_the_bureau_sees_co2_only_of_submitted_months_in_the_fused_inventory(user_client):
    with schema_context("ent_cx_power"):
        computed = sorted(
            CalculationRun.objects.filter(year=LAST.year, superseded_by__isnull=True).values_list(
                "month", flat=True
            )
        )
    assert len(computed) >= 2, "the demo world computes several months of the power plant"
    submitted_total = _submit_month(computed[0])
    for username in ("city.viewer", "changxing.inspector"):
        client = user_client(username)
        page = client.get("/e/cx-power/inventory/").content.decode()
        assert "尚未提交审核，碳排放数据不向监管部门展示" in page
        assert f"{computed[1]}月" in page  # the hidden months are named
        months_shown = {row[0] for row in _xlsx_rows(client.get("/e/cx-power/inventory/?format=xlsx"))[3:-1]}
        assert months_shown == {computed[0]}, months_shown
        total = [
            row for row in _xlsx_rows(client.get("/e/cx-power/inventory/?format=xlsx")) if row[0] == "合计"
        ]
        assert Decimal(str(total[0][3])) == submitted_total.quantize(Decimal("0.01"))
    # The enterprise sees every computed month, drafts included.
    filer_rows = _xlsx_rows(user_client("power.filer").get("/e/cx-power/inventory/?format=xlsx"))
    assert {row[0] for row in filer_rows[2:-1]} == set(computed)


def test_a_locked_month_shows_the_bureau_its_sealed_run_not_a_later_draft(user_client):
    with schema_context("ent_cx_power"):
        run = (
            CalculationRun.objects.filter(year=LAST.year, superseded_by__isnull=True)
            .order_by("month")
            .first()
        )
        MonthlyFiling.objects.create(
            year=LAST.year,
            month=run.month,
            status=FilingStatus.LOCKED,
            deadline=TODAY,
            sealed_payload={"result": {"run": run.pk, "total_tco2": str(run.total_tco2)}},
        )
        from steward.carbon.selectors import runs_visible_to
        from tenants.access import workspace_access
        from tenants.models import Enterprise

        grant = workspace_access(
            User.objects.get(username="city.viewer"), Enterprise.objects.get(slug="cx-power")
        )
        assert runs_visible_to(grant, LAST.year, range(1, 13)) == {run.month: run}


def test_filings_for_the_bureau_are_submitted_versions_only_on_page_api_and_pdf(user_client):
    with schema_context("ent_cx_power"):
        month = CalculationRun.objects.filter(year=LAST.year).order_by("month").first().month
        MonthlyFiling.objects.create(year=LAST.year, month=month, deadline=TODAY)  # a draft
    viewer = user_client("city.viewer")
    assert viewer.get(f"/e/cx-power/filing/{LAST.year}/{month}/").status_code == 404
    assert viewer.get(f"/e/cx-power/filing/{LAST.year}/{month}/record.pdf").status_code == 404
    assert user_client("power.filer").get(f"/e/cx-power/filing/{LAST.year}/{month}/").status_code == 200


def _monitoring_file(schema: str, name: str) -> EvidenceFile:
    with schema_context(schema):
        return store_evidence(
            upload=SimpleUploadedFile(name, f"%PDF-1.4 {name}".encode(), "application/pdf"),
            kind="monitoring_report",
            description="CEMS 比对监测报告",
            uploaded_by=User.objects.get(username="platform"),
        )


def test_a_carbon_only_steward_neither_lists_nor_downloads_the_cems_monitoring_file(user_client):
    cems = _monitoring_file("ent_wx_cement", "窑尾CEMS比对监测报告.pdf")
    assert cems.scope == EvidenceFile.Scope.ENVIRONMENTAL  # from its kind (监测报告)
    steward = user_client("greencarbon.manager")  # wx-cement: carbon only
    page = steward.get("/e/wx-cement/evidence/").content.decode()
    assert "窑尾CEMS比对监测报告" not in page and "仅显示您的服务范围内的文件" in page
    assert "wx-cement-化验报告.pdf" in page  # the carbon lab report stays visible
    listed = [row["original_name"] for row in steward.get("/e/wx-cement/api/v1/evidence/").json()["results"]]
    assert "窑尾CEMS比对监测报告.pdf" not in listed and listed
    assert steward.get(f"/e/wx-cement/evidence/{cems.pk}/download/").status_code == 404
    admin = user_client("cement.admin")
    assert "窑尾CEMS比对监测报告" in admin.get("/e/wx-cement/evidence/").content.decode()
    assert admin.get(f"/e/wx-cement/evidence/{cems.pk}/download/").status_code == 200


def test_an_environmental_only_steward_does_not_see_the_carbon_lab_report(user_client):
    cems = _monitoring_file("ent_dq_fibre", "dq-fibre-监测报告.pdf")
    with schema_context("ent_dq_fibre"):
        lab = EvidenceFile.objects.get(original_name="dq-fibre-化验报告.pdf")
    steward = user_client("qingyuan.reviewer")  # dq-fibre: environmental only
    page = steward.get("/e/dq-fibre/evidence/").content.decode()
    assert "dq-fibre-监测报告.pdf" in page and "dq-fibre-化验报告.pdf" not in page
    assert steward.get(f"/e/dq-fibre/evidence/{lab.pk}/download/").status_code == 404
    assert steward.get(f"/e/dq-fibre/evidence/{cems.pk}/download/").status_code == 200


def test_the_scope_is_chosen_at_upload_and_a_file_of_both_scopes_is_seen_by_either(user_client):
    upload = SimpleUploadedFile("排污与碳共用台账.pdf", b"%PDF-1.4 shared ledger", "application/pdf")
    response = user_client("cement.filer").post(
        "/e/wx-cement/evidence/",
        {"file": upload, "kind": "monitoring_report", "scope": "both", "description": "共用"},
    )
    assert response.status_code == 302
    with schema_context("ent_wx_cement"):
        shared = EvidenceFile.objects.get(original_name="排污与碳共用台账.pdf")
    assert shared.scope == EvidenceFile.Scope.BOTH
    assert (
        user_client("greencarbon.manager").get(f"/e/wx-cement/evidence/{shared.pk}/download/").status_code
        == 200
    )
    api = user_client("cement.filer").post(
        "/e/wx-cement/api/v1/evidence/",
        {
            "file": SimpleUploadedFile("api-监测.pdf", b"%PDF-1.4 api", "application/pdf"),
            "kind": "other",
            "scope": "environmental",
        },
    )
    assert api.status_code == 201 and api.json()["scope"] == "environmental"


def test_existing_files_take_their_scope_from_what_they_are_attached_to():
    """The data migration: a file of a pollution record becomes environmental, an unattached 监测报告 too, a
    carbon record's file carbon, anything else both."""
    import importlib

    migration = importlib.import_module("steward.evidence.migrations.0004_evidencefile_scope")
    with schema_context("ent_wx_cement"):
        platform = User.objects.get(username="platform")

        def legacy(name: str, kind: str) -> EvidenceFile:  # a row from before scopes: "both"
            return EvidenceFile.objects.create(
                sha256=name.encode().hex().ljust(64, "0")[:64],
                tenant_schema="ent_wx_cement",
                original_name=name,
                content_type="application/pdf",
                size_bytes=1,
                kind=kind,
                scope=EvidenceFile.Scope.BOTH,
                uploaded_by=platform,
            )

        monitoring, other = legacy("legacy-monitoring", "monitoring_report"), legacy("legacy-other", "other")
        grid_bill = EvidenceFile.objects.filter(kind="invoice").first()  # a demo grid bill (carbon)
        with connection.schema_editor() as editor:
            migration.derive_scopes(global_apps, editor)
        scopes = dict(EvidenceFile.objects.values_list("original_name", "scope"))
    assert scopes["legacy-monitoring"] == "environmental" and scopes["legacy-other"] == "both"
    assert scopes[grid_bill.original_name] == "carbon"
    assert monitoring.pk and other.pk


@pytest.mark.usefixtures("paper_mill")
def test_a_carbon_only_steward_gets_the_fused_inventory_without_its_pollutant_half(user_client):
    client = user_client("qingyuan.reviewer")  # nth-paper: carbon only
    page = client.get("/e/nth-paper/inventory/").content.decode()
    assert "污染物排放数据已隐藏" in page and "二氧化硫" not in page and "颗粒物" not in page
    rows = _xlsx_rows(client.get("/e/nth-paper/inventory/?format=xlsx"))
    assert any("污染物排放数据已隐藏" in str(row[1]) for row in rows if row[0] == "说明")
    header = next(row for row in rows if row[0] == "月份")
    assert header[3] == "CO2（t）" and not any("（t）" in str(cell) for cell in header[4:])
    # The enterprise itself sees both halves.
    assert "二氧化硫" in user_client("paper.filer").get("/e/nth-paper/inventory/").content.decode()


def test_an_environmental_only_steward_gets_the_fused_inventory_without_co2(user_client):
    client = user_client("qingyuan.reviewer")  # dq-fibre: environmental only
    page = client.get("/e/dq-fibre/inventory/").content.decode()
    assert "碳排放数据已隐藏" in page and "CO2（t）" not in page and "tCO2" not in page
    rows = _xlsx_rows(client.get("/e/dq-fibre/inventory/?format=xlsx"))
    assert not any("CO2" in str(cell) for row in rows for cell in row)


@pytest.fixture
def paper_mill(db):
    from steward.demo.pollution import build_paper_mill
    from tenants.models import Enterprise

    enterprise = Enterprise.objects.get(slug="nth-paper")
    with schema_context(enterprise.schema_name):
        build_paper_mill(
            LAST.year, LAST.month, User.objects.get(username="paper.filer"), cems_months=[LAST.month]
        )


@pytest.mark.usefixtures("paper_mill")
def test_the_bureau_reads_no_fuel_quantity_of_an_unsubmitted_month_on_the_pollution_month_page(user_client):
    url = f"/e/nth-paper/pollution/{LAST.year}/1/"
    filer = user_client("paper.filer").get(url).content.decode()
    assert "产排污系数法" in filer and "1号锅炉燃煤" in filer  # the basis names the fuel and its quantity
    bureau = user_client("city.viewer").get(url).content.decode()
    assert "产排污系数法" in bureau and "1号锅炉燃煤" not in bureau
    assert "燃料消耗量来自尚未提交审核的碳排放数据，不向监管部门展示" in bureau
