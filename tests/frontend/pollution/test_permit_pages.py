"""Permit pages: the first permit, outlets and limits (new versions), source links and CEMS certification, all
through the pages; bad input is refused with a Chinese message; only those who manage the permit may write."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from steward.carbon import services as carbon
from steward.pollution import services
from steward.pollution.models import CemsCertification, Permit, SourceOutlet
from tenants.models import Enterprise

pytestmark = pytest.mark.django_db

REGISTER = {
    "permit_number": "91330500MA2G8H1J2001P",
    "management_class": "simplified",
    "valid_from": "2025-03-01",
    "valid_to": "2030-02-28",
    "report_frequencies": ["quarterly", "annual"],
    "amount_SO2": "95",
    "amount_NOx": "150",
    "outlet-code": "DA001",
    "outlet-name": "锅炉烟囱",
    "outlet-kind": "main",
    "outlet-medium": "air",
    "outlet-reference_oxygen_pct": "9",
    "outlet-oxygen_corrected": "on",
    "outlet-limit_SO2": "200",
    "outlet-limit_NOx": "200",
}
OUTLET = {
    "save_outlet": "1",
    "code": "DW001",
    "name": "废水总排口",
    "kind": "main",
    "medium": "water",
    "limit_COD": "80",
    "limit_NH3-N": "8",
    "reason": "新增废水总排口",
}


def _paper_schema():
    return schema_context(Enterprise.objects.get(slug="nth-paper").schema_name)


def test_before_a_permit_the_import_reports_and_month_pages_say_what_they_need(user_client):
    """The section's links lead somewhere before the first permit: a page that names what is missing and
    where to register it, never a 404."""
    client = user_client("paper.filer")
    for path in ("import/", "reports/", "2025/3/"):
        response = client.get(f"/e/nth-paper/pollution/{path}")
        page = response.content.decode()
        assert response.status_code == 200, path
        assert 'data-testid="no-permit"' in page and "/e/nth-paper/pollution/register/" in page, path


def test_filer_registers_the_first_permit_through_the_page(user_client):
    client = user_client("paper.filer")
    page = client.get("/e/nth-paper/pollution/").content.decode()
    assert "尚未登记排污许可证" in page and 'data-testid="register-link"' in page
    assert client.get("/e/nth-paper/pollution/register/").status_code == 200
    response = client.post("/e/nth-paper/pollution/register/", REGISTER)
    assert response.status_code == 302
    page = client.get("/e/nth-paper/pollution/").content.decode()
    assert "91330500MA2G8H1J2001P" in page and "锅炉烟囱" in page and "简化管理" in page
    with _paper_schema():
        permit = services.current_permit()
        assert (permit.version, permit.report_frequencies) == (1, ["quarterly", "annual"])
        limit = permit.outlets.get(code="DA001").limits.get(pollutant="SO2")
        assert (limit.limit, limit.unit, limit.averaging, limit.oxygen_corrected) == (
            D(200),
            "mg/m3",
            "hour",
            True,
        )
        assert permit.permitted_amounts.get(pollutant="NOx").tonnes_per_year == D(150)
    # A second registration is refused: changes are new versions.
    assert client.get("/e/nth-paper/pollution/register/").status_code == 302


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"valid_to": "2024-01-01"}, "valid_to", "有效期止须晚于有效期起"),
        ({"outlet-limit_COD": "80"}, "outlet-limit_COD", "该污染物不属于所选排放口类别"),
        ({"outlet-code": "DA 001"}, "outlet-code", "排放口编号只能包含字母、数字和连字符"),
        (
            {"outlet-reference_oxygen_pct": ""},
            "outlet-reference_oxygen_pct",
            "按基准氧含量折算时须填写基准氧含量",
        ),
        ({"amount_SO2": "-1"}, "amount_SO2", "确保该值大于或等于0"),
        ({"outlet-limit_SO2": "", "outlet-limit_NOx": ""}, None, "请至少填写一项浓度限值"),
    ],
)
def test_bad_permit_input_gives_the_chinese_error_and_creates_nothing(user_client, changes, field, message):
    response = user_client("paper.filer").post("/e/nth-paper/pollution/register/", REGISTER | changes)
    assert response.status_code == 400
    assert message in response.content.decode()
    form = response.context["outlet_form" if field and field.startswith("outlet-") else "form"]
    if field:
        assert field.removeprefix("outlet-") in form.errors
    with _paper_schema():
        assert not Permit.objects.exists()


def test_outlet_added_through_the_page_is_version_n_plus_one(paper, user_client):
    client = user_client("paper.filer")
    old = paper["permit"]
    response = client.post("/e/nth-paper/pollution/outlets/", OUTLET | {"code": "DW002", "name": "雨水排口"})
    assert response.status_code == 302
    new = services.current_permit()
    assert (new.version, new.supersedes_id, new.change_reason) == (old.version + 1, old.pk, "新增废水总排口")
    assert sorted(new.outlets.values_list("code", flat=True)) == ["DA001", "DW001", "DW002"]
    assert sorted(old.outlets.values_list("code", flat=True)) == ["DA001", "DW001"]  # version n unchanged
    # Changing an existing outlet's limits: version n+2; the earlier versions stay readable.
    response = client.post(
        "/e/nth-paper/pollution/outlets/", OUTLET | {"limit_COD": "60", "reason": "执行新排放标准"}
    )
    assert response.status_code == 302
    latest = services.current_permit()
    assert latest.version == old.version + 2
    assert latest.outlets.get(code="DW001").limits.get(pollutant="COD").limit == D(60)
    assert old.outlets.get(code="DW001").limits.get(pollutant="COD").limit == D(80)
    page = client.get("/e/nth-paper/pollution/outlets/?outlet=DW001").content.decode()
    assert "执行新排放标准" in page and "新增废水总排口" in page
    assert 'name="limit_COD" value="60"' in page  # the change form is prefilled from the current version
    page = client.get(f"/e/nth-paper/pollution/versions/{old.version}/").content.decode()
    assert "已被新版本取代" in page and "雨水排口" not in page and "80 mg/L" in page


def test_outlet_change_needs_a_reason_and_a_matching_medium(paper, user_client):
    client = user_client("paper.filer")
    response = client.post("/e/nth-paper/pollution/outlets/", OUTLET | {"reason": ""})
    assert response.status_code == 400 and "reason" in response.context["forms"]["outlet"].errors
    response = client.post("/e/nth-paper/pollution/outlets/", OUTLET | {"limit_SO2": "100"})
    assert response.status_code == 400 and "该污染物不属于所选排放口类别" in response.content.decode()
    assert services.current_permit().version == paper["permit"].version


def test_source_link_and_cems_certification_through_the_page(paper, user_client):
    client = user_client("paper.filer")
    boiler = carbon.add_facility(code="B2", name="2号燃气锅炉", kind="boiler")
    gas = carbon.add_source(
        facility=boiler,
        code="B2-GAS",
        name="2号锅炉天然气",
        kind="fuel_combustion",
        fuel_code="natural_gas",
        unit="10^4 Nm3",
    )
    link = {"link_source": "1", "source": gas.pk, "outlet_code": "DA001", "pollutant": "NOx"}
    response = client.post(
        "/e/nth-paper/pollution/outlets/",
        link | {"control_technology": "低氮燃烧", "removal_efficiency": "0.3", "operating_rate": "1"},
    )
    assert response.status_code == 302
    assert SourceOutlet.objects.get(source=gas).removal_efficiency == D("0.3")
    response = client.post(
        "/e/nth-paper/pollution/outlets/", link | {"removal_efficiency": "1.5", "operating_rate": "1"}
    )
    assert response.status_code == 400 and "去除效率" in response.content.decode()
    report = SimpleUploadedFile("比对监测报告.pdf", b"%PDF-1.4 cems", content_type="application/pdf")
    response = client.post(
        "/e/nth-paper/pollution/outlets/",
        {
            "certify_cems": "1",
            "outlet_code": "DW001",
            "standard": "HJ 355-2019",
            "valid_from": "2026-01-01",
            "valid_to": "2026-12-31",
            "file": report,
        },
    )
    assert response.status_code == 302
    certification = CemsCertification.objects.get(outlet_code="DW001")
    assert certification.evidence.original_name == "比对监测报告.pdf"
    response = client.post(
        "/e/nth-paper/pollution/outlets/",
        {
            "certify_cems": "1",
            "outlet_code": "DW001",
            "standard": "HJ 75-2017",
            "valid_from": "2026-01-01",
            "valid_to": "2026-12-31",
        },
    )
    assert response.status_code == 400 and "应符合 HJ 355-2019" in response.content.decode()
    assert CemsCertification.objects.filter(outlet_code="DW001").count() == 1


def test_services_refuse_unknown_outlets_and_duplicate_codes(paper):
    permit, by = paper["permit"], paper["filer"]
    with pytest.raises(ValidationError, match="不在现行许可证中"):
        services.certify_cems(
            outlet_code="DA009",
            standard="HJ 75-2017",
            valid_from=datetime.date(2026, 1, 1),
            valid_to=datetime.date(2026, 12, 31),
            by=by,
        )
    spec = services.spec_from(permit)
    duplicate = services.PermitSpec(**(spec.__dict__ | {"outlets": [*spec.outlets, spec.outlets[0]]}))
    with pytest.raises(ValidationError, match="排放口编号不能重复"):
        services.change_permit(permit=permit, spec=duplicate, reason="重复", by=by)
    with pytest.raises(ValidationError, match="至少登记一个排放口"):
        services.change_permit(permit=permit, spec=services.spec_from(permit, outlets=[]), reason="空", by=by)
    replaced = services.with_outlet(spec, services.OutletSpec("DA001", "新烟囱", "main", "air", D("9"), []))
    assert [o.name for o in replaced.outlets] == ["新烟囱", "废水总排口"]


@pytest.mark.parametrize(
    "username",
    [
        "qingyuan.reviewer",  # steward with a carbon-only engagement
        "power.filer",  # another enterprise's user
        "city.viewer",  # bureau: read-only
    ],
)
def test_others_may_not_register_or_change(paper, user_client, username):
    client = user_client(username)
    assert client.post("/e/nth-paper/pollution/outlets/", OUTLET).status_code == 403
    assert client.post("/e/nth-paper/pollution/register/", REGISTER).status_code == 403
    assert client.get("/e/nth-paper/pollution/register/").status_code == 403
    assert services.current_permit().version == paper["permit"].version


def test_bureau_reads_outlets_and_versions_without_forms(paper, user_client):
    client = user_client("city.viewer")
    page = client.get("/e/nth-paper/pollution/outlets/")
    assert page.status_code == 200
    html = page.content.decode()
    assert (
        "锅炉烟囱" in html
        and 'data-testid="outlet-form"' not in html
        and 'data-testid="cems-form"' not in html
    )
    assert client.get(f"/e/nth-paper/pollution/versions/{paper['permit'].version}/").status_code == 200
    assert "register-link" not in client.get("/e/nth-paper/pollution/").content.decode()


def test_first_permit_by_an_environmental_steward(power, user_client):
    # greencarbon has a live environmental engagement with the power plant: it may change outlets there.
    response = user_client("greencarbon.reviewer").post(
        "/e/cx-power/pollution/outlets/", OUTLET | {"code": "DW009", "name": "雨排口"}
    )
    assert response.status_code == 302


def test_register_page_and_errors_in_english(user_client):
    client = user_client("paper.filer")
    client.cookies["django_language"] = "en"
    page = client.get("/e/nth-paper/pollution/register/").content.decode()
    assert "Register the pollutant discharge permit" in page and "Enter at least" not in page
    response = client.post("/e/nth-paper/pollution/register/", REGISTER | {"outlet-limit_COD": "80"})
    assert "This pollutant does not belong to the selected outlet medium." in response.content.decode()
