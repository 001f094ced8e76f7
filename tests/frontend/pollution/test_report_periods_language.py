"""The execution reports' periods in the reader's language: an English page said 2026年1月 and 2026年第1季度."""

import re

import pytest

from tests.steward.pollution.conftest import LAST

CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.mark.django_db
def test_report_periods_read_in_english_on_an_english_page(power, user_client):
    year = LAST.year
    client = user_client("power.admin")
    client.cookies["django_language"] = "en"
    text = client.get(f"/e/cx-power/pollution/reports/{year}/").content.decode()
    table = text[
        text.index('data-testid="report-periods"') : text.index("</table>", text.index("report-periods"))
    ]
    cells = re.findall(r"<tr><td>([^<]+)</td>", table)
    assert f"1/{year}" in cells and f"Q1 {year}" in cells, cells
    assert not [cell for cell in cells if CJK.search(cell)], cells
    client.cookies["django_language"] = "zh-hans"
    chinese = client.get(f"/e/cx-power/pollution/reports/{year}/").content.decode()
    assert f"<tr><td>{year}年1月</td>" in chinese and f"<tr><td>{year}年第1季度</td>" in chinese
