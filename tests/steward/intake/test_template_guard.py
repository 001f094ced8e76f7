"""The intake template of an enterprise whose stored name holds a control character and starts like a formula:
it downloads, opens, and shows the name as text."""

import io

import pytest
from intake_workbooks import YEAR
from openpyxl import load_workbook

from steward.intake.columns import DATA_SHEET, NOTES_SHEET

pytestmark = pytest.mark.django_db


def test_template_of_a_hostile_enterprise_name_downloads_and_reads_back_as_text(user_client, power):
    power.name_zh = '\x07=HYPERLINK("http://evil.example","点我")长兴电厂'
    power.save(update_fields=["name_zh"])
    response = user_client("power.filer").get("/e/cx-power/intake/template/", {"year": YEAR, "month": 2})
    assert response.status_code == 200
    assert (
        response["Cache-Control"] == "private, no-store" and response["X-Content-Type-Options"] == "nosniff"
    )
    book = load_workbook(io.BytesIO(response.content))
    for sheet_name in (NOTES_SHEET, DATA_SHEET):
        title = book[sheet_name]["A1"]
        assert title.data_type == "s"
        assert title.value.startswith('\'=HYPERLINK("http://evil.example","点我")长兴电厂')
        assert "\x07" not in title.value
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row)
