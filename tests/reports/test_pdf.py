"""The PDF toolkit: Chinese text is embedded and extractable, pages are numbered, output is deterministic."""

from decimal import Decimal

from reports import pdf
from reports.testing import pdf_pages, pdf_text


def _story(rows: int = 10):
    return [
        pdf.text("湖州青山水泥有限公司 2025年度温室气体排放报告", "title"),
        pdf.heading("一、企业基本情况"),
        pdf.key_values(
            [("统一社会信用代码", "91330502MA2B000001"), ("排放总量（tCO2）", Decimal("12345.60"))]
        ),
        pdf.table(
            [["排放源", "活动数据", "单位"]]
            + [[f"回转窑{i}号", Decimal("8500.5"), "t"] for i in range(rows)],
            widths=[3, 2, 1],
            numeric_columns=[1],
        ),
    ]


def _build(rows: int = 10, holder: str = "湖州青山水泥有限公司") -> bytes:
    return pdf.build_pdf(
        _story(rows), title="年度报告", furniture=pdf.PageFurniture("2025年度温室气体排放报告", holder)
    )


def test_chinese_text_numbers_and_page_furniture_are_in_the_pdf():
    data = _build(rows=120)
    assert data.startswith(b"%PDF")
    pages = pdf_pages(data)
    assert len(pages) >= 3
    text = pdf_text(data)
    assert "湖州青山水泥有限公司2025年度温室气体排放报告" in text
    assert "统一社会信用代码" in text and "12345.60" in text and "回转窑119号" in text
    assert f"第1页共{len(pages)}页" in pages[0].replace(" ", "")
    assert f"第{len(pages)}页共{len(pages)}页" in pages[-1].replace(" ", "")


def test_the_font_is_embedded_not_referenced():
    data = _build()
    assert b"/FontFile2" in data  # an embedded TrueType subset
    assert b"STSong" not in data


def test_same_input_gives_the_same_bytes_and_different_input_different_bytes():
    assert _build() == _build()
    assert _build() != _build(holder="长兴湖能发电有限公司")


def test_user_text_is_escaped_not_interpreted_as_markup():
    data = pdf.build_pdf(
        [pdf.text("<b>说明</b> & <font size=40>大</font>")],
        title="t",
        furniture=pdf.PageFurniture("t"),
    )
    assert "<b>说明</b>&<fontsize=40>大</font>" in pdf_text(data)


def test_decimals_print_in_plain_notation():
    assert pdf.display(Decimal("1E+3")) == "1000"
    assert pdf.display(None) == "—"


def test_every_pdf_is_laid_out_by_the_shared_toolkit():
    """No module builds its own reportlab document or canvas: fonts, determinism and page furniture come from
    reports/pdf.py for every PDF (the bureau summary used to embed nothing and date itself)."""
    import ast
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR)
    own_layout = {"SimpleDocTemplate", "BaseDocTemplate", "Canvas", "canvas"}
    offenders = []
    for package in ("steward", "reports", "frontend", "tenants", "workflows"):
        for path in (root / package).rglob("*.py"):
            if path == root / "reports" / "pdf.py":
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("reportlab"):
                    if own_layout & {alias.name for alias in node.names}:
                        offenders.append(str(path.relative_to(root)))
    assert offenders == []


def test_every_page_carries_the_shared_header_and_footer():
    """Title and issuer in the header; hash, page x of y and the generation time in Beijing time in the
    footer, on every page."""
    import datetime

    sha = "ab" * 32
    data = pdf.build_pdf(
        _story(rows=120),
        title="年度报告",
        furniture=pdf.furniture(
            "2025年度温室气体排放报告",
            "湖州青山水泥有限公司",
            generated=datetime.datetime(2026, 12, 3, 2, 5, tzinfo=datetime.UTC),
            sha256=sha,
        ),
    )
    pages = [page.replace(" ", "") for page in pdf_pages(data)]
    for number, page in enumerate(pages, start=1):
        assert "2025年度温室气体排放报告" in page and "湖州青山水泥有限公司" in page
        assert f"内容哈希{sha[:16]}" in page
        assert f"第{number}页共{len(pages)}页" in page
        assert "生成时间2026-12-0310:05（北京时间）" in page


def test_body_and_small_text_are_dark_enough_to_photocopy():
    for name, style in pdf.styles().items():
        red, green, blue = style.textColor.red, style.textColor.green, style.textColor.blue
        assert 0.2126 * red + 0.7152 * green + 0.0722 * blue < 0.2, name
