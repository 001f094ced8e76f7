"""One guard for every spreadsheet cell: control characters cannot break a workbook, text never runs as a
formula, numbers stay numbers; and no builder writes a workbook except through it."""

import ast
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from openpyxl import load_workbook

from reports import annual_xlsx, dashboard_xlsx, xlsx
from reports.fused_inventory import inventory_xlsx
from steward.pollution.inventory import Inventory, InventoryRow

HOSTILE = '\x07=HYPERLINK("http://evil.example","点我")\x00'
SHOWN = '\'=HYPERLINK("http://evil.example","点我")'


def _read(data: bytes):
    return load_workbook(io.BytesIO(data))


@pytest.mark.parametrize(
    "value, written",
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("\x07=cmd", "'=cmd"),  # the control character goes, and what it hid is guarded
        ("湖州\x0b青山\x1f水泥\ufffe", "湖州青山水泥"),
        ("回转窑\n1号", "回转窑\n1号"),
        ("'=already", "'=already"),
    ],
)
def test_text_is_cleaned_and_never_starts_like_a_formula(value, written):
    assert xlsx.safe_text(value) == written


def test_numbers_dates_and_empty_cells_are_written_as_they_are():
    import datetime

    for value in (Decimal("-12.5"), -3, 0.5, True, datetime.date(2026, 3, 1), None):
        assert xlsx.cell_value(value) == value


def test_every_way_of_writing_a_cell_is_guarded_and_the_bytes_are_checked_once_more():
    book = xlsx.workbook()
    sheet = book.active
    sheet.append([HOSTILE, Decimal("-1.5")])
    sheet.cell(row=2, column=1, value=HOSTILE)
    sheet["A3"] = HOSTILE
    extra = book.create_sheet("另一页")
    extra.append({"B": HOSTILE})
    sheet["A4"].value = "=SUM(B1:B2)"  # assigned past the guard: to_bytes still writes it as text
    back = _read(xlsx.to_bytes(book))
    first, second = back.worksheets
    assert [first[f"A{row}"].value for row in (1, 2, 3)] == [SHOWN] * 3
    assert second["B1"].value == SHOWN
    assert first["A4"].value == "'=SUM(B1:B2)" and first["A4"].data_type == "s"
    assert first["B1"].value == -1.5 and first["B1"].data_type == "n"
    assert back.properties.creator == "carbon-steward"


def _assert_safe(data: bytes) -> list[str]:
    texts = []
    for sheet in _read(data).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(xlsx.FORMULA_TRIGGERS)
                    assert xlsx.UNWRITABLE.search(cell.value) is None
                    texts.append(cell.value)
    return texts


def _fact(name: str):
    from types import SimpleNamespace

    place = SimpleNamespace(name_zh=name)
    return SimpleNamespace(
        enterprise=SimpleNamespace(name_zh=name, credit_code=name),
        jurisdiction=place,
        industry=place,
        is_submitted=True,
        year=2026,
        month=3,
        status="locked",
        version=1,
        deadline=None,
        first_submitted_at=None,
        submitted_late=False,
        returned_count=0,
        total_tco2=Decimal("1.5"),
        intensity=None,
    )


def _annual_payload(name: str) -> dict:
    return {
        "enterprise": {"name": name, "credit_code": "91330502MA2B000001"},
        "year": 2025,
        "version": 1,
        "total_tco2": "100.5",
        "lines": [{"label": name, "tco2": "100.5"}],
        "outputs": {},
        "intensities": [],
        "months": [{"month": 1, "total_tco2": "100.5", "filing_version": 1, "factor_set": "x", "seal": "ab"}],
        "sources": [{"code": "S1", "name": name}],
        "activity": [{"month": 1, "source": "S1", "quantity": "10", "unit": "t", "data_source": "measured"}],
        "quality": {"findings": []},
    }


@pytest.mark.parametrize(
    "build",
    [
        lambda name: annual_xlsx.render(_annual_payload(name)),
        lambda name: dashboard_xlsx.build([_fact(name)]),
        lambda name: inventory_xlsx(
            Inventory(2026, [1], [], [InventoryRow(name, name, 1, Decimal("2.5"))], Decimal("2.5"), {}), name
        ),
    ],
    ids=["annual", "dashboard", "fused-inventory"],
)
def test_each_builder_writes_a_hostile_name_as_plain_text(build):
    assert SHOWN in _assert_safe(build(HOSTILE))


def _constructs_a_workbook(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "openpyxl":
            if any(alias.name == "Workbook" for alias in node.names):
                return True
        if isinstance(node, ast.Attribute) and node.attr == "Workbook":
            return True
    return False


def test_no_module_builds_a_workbook_except_through_the_guard():
    root = Path(settings.BASE_DIR)
    offenders = [
        str(path.relative_to(root))
        for package in ("steward", "reports", "frontend", "tenants", "workflows")
        for path in (root / package).rglob("*.py")
        if path != root / "reports" / "xlsx.py" and _constructs_a_workbook(ast.parse(path.read_text()))
    ]
    assert offenders == []
