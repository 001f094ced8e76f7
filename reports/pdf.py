"""The shared reportlab toolkit for documents of record: fonts, styles, tables, page furniture, `build_pdf`.

Chinese text is set in Noto Sans SC (SIL Open Font License), shipped on PyPI by `justmytype-intl-cjk`, and
**embedded** (subset) in every PDF: reportlab's built-in CID font STSong-Light needs no file but is not
embedded, so a reader without that font would substitute another one and a copy of record would no longer
look the same everywhere. The font is TrueType-flavoured (glyf outlines), which reportlab can subset; the
CFF-flavoured Noto Sans CJK .otf files cannot be embedded by reportlab.

Output is deterministic: the same input gives the same bytes (reportlab's `invariant` fixes the creation
date and the document id), so a stored copy of record can be re-generated and compared.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT = "NotoSansSC"
FONT_PACKAGE = "justmytype_intl_cjk"
FONT_FILE = "fonts/ofl/notosanssc/NotoSansSC[wght].ttf"
GENERATOR = "carbon-steward reports/pdf.py 1"

PAGE_SIZE = A4
MARGIN = 20 * mm
TEXT_WIDTH = PAGE_SIZE[0] - 2 * MARGIN
GRID = colors.HexColor("#5f6b76")
# Body text is black and page furniture near-black: a document of record is printed and photocopied, pale
# grey does not survive either.
INK = colors.HexColor("#111111")
FURNITURE_INK = colors.HexColor("#222222")
# Printed across every page of a document that is shown but not stored as a copy of record.
PREVIEW_LABEL = "预览，非存档文件"
HEADER_FILL = colors.HexColor("#e8eef3")


class FontMissing(RuntimeError):
    """The embedded CJK font is not installed (the project's dependencies were not installed)."""


@functools.cache
def register_fonts() -> str:
    """Register the embedded CJK font once per process and return its name."""
    try:
        path = resources.files(FONT_PACKAGE).joinpath(FONT_FILE)
    except ModuleNotFoundError as error:
        raise FontMissing(
            f"the CJK font package {FONT_PACKAGE!r} is missing: install the project (pip install -e .)"
        ) from error
    with resources.as_file(path) as font_path:
        pdfmetrics.registerFont(TTFont(FONT, str(font_path)))
    # One weight only: headings are set larger, not bolder, so <b> maps to the same face.
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT, italic=FONT, boldItalic=FONT)
    return FONT


@functools.cache
def styles() -> dict[str, ParagraphStyle]:
    font = register_fonts()
    body = ParagraphStyle(
        "body", fontName=font, fontSize=10, leading=15, wordWrap="CJK", spaceAfter=4, textColor=INK
    )
    return {
        "title": ParagraphStyle(
            "title", parent=body, fontSize=20, leading=28, alignment=TA_CENTER, spaceAfter=12
        ),
        "subtitle": ParagraphStyle("subtitle", parent=body, fontSize=12, leading=18, alignment=TA_CENTER),
        "h1": ParagraphStyle("h1", parent=body, fontSize=14, leading=20, spaceBefore=10, spaceAfter=6),
        "h2": ParagraphStyle("h2", parent=body, fontSize=11.5, leading=17, spaceBefore=6, spaceAfter=4),
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=12, textColor=FURNITURE_INK),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8.5, leading=12, spaceAfter=0),
    }


def text(value: object, style: str = "body") -> Paragraph:
    """A paragraph of plain text (escaped: user data never becomes markup)."""
    return Paragraph(escape(display(value)).replace("\n", "<br/>"), styles()[style])


def display(value: object) -> str:
    """How a value is printed: Decimals in plain notation (never 1E+3), None as an em dash."""
    if value is None or value == "":
        return "—"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def heading(value: str, level: int = 1) -> Paragraph:
    return text(value, f"h{level}")


def spacer(height_mm: float = 4) -> Spacer:
    return Spacer(1, height_mm * mm)


def table(
    rows: Sequence[Sequence[object]],
    *,
    widths: Sequence[float] | None = None,
    header: bool = True,
    numeric_columns: Iterable[int] = (),
) -> Table:
    """A gridded table whose cells wrap Chinese text; numeric columns are right-aligned."""
    numeric = set(numeric_columns)
    if widths is not None:
        total = sum(widths)
        widths = [TEXT_WIDTH * w / total for w in widths]
    cells = [
        [_cell(value, widths[index] if widths else None, index in numeric) for index, value in enumerate(row)]
        for row in rows
    ]
    result = Table(cells, colWidths=widths, repeatRows=1 if header else 0)
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("FONT", (0, 0), (-1, -1), FONT, CELL_SIZE, 12),
    ]
    for index in numeric:
        commands.append(("ALIGN", (index, 1 if header else 0), (index, -1), "RIGHT"))
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL))
    result.setStyle(TableStyle(commands))
    return result


CELL_SIZE = 8.5
CELL_PADDING = 12  # reportlab's default 6 pt left and right


def _cell(value: object, width: float | None, numeric: bool) -> str | Paragraph:
    """A plain string when it fits on one line (laid out ~10× faster than a paragraph), else a wrapping
    paragraph. Numbers never wrap."""
    shown = display(value)
    if numeric or (
        width is not None
        and "\n" not in shown
        and pdfmetrics.stringWidth(shown, FONT, CELL_SIZE) <= width - CELL_PADDING
    ):
        return shown
    return text(value, "cell")


def key_values(pairs: Sequence[tuple[str, object]]) -> Table:
    """A two-column label/value table (enterprise details, totals)."""
    return table([[label, value] for label, value in pairs], widths=[1, 2.6], header=False)


@dataclass(frozen=True)
class PageFurniture:
    """What every page carries, the same way on every document: the title (left) and the enterprise or issuer
    (right) in the header; in the footer the hash the document is identified by (left), 第 x 页 共 y 页
    (centre) and the generation time in Beijing time (right); for a preview a watermark across the page."""

    header_left: str
    header_right: str = ""
    footer_left: str = ""
    watermark: str = ""
    generated_at: str = ""  # already formatted (steward.formatting.beijing), printed as "生成时间 … 北京时间"


def content_hash(payload: dict) -> str:
    """SHA-256 of a document's payload as canonical JSON (sorted keys, Decimals and dates as text): the hash a
    document without its own stored hash is identified by."""
    import hashlib
    import json

    canonical = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def furniture(
    title: str, issuer: str = "", *, generated=None, sha256: str = "", hash_label: str = "内容哈希", **more
) -> PageFurniture:
    """The shared header and footer of a document: `generated` is a datetime (shown in Beijing time) or
    None, `sha256` the hash the document is identified by (its first 16 hex digits are printed)."""
    from steward.formatting import beijing

    footer = more.pop("footer_left", "")
    return PageFurniture(
        header_left=title,
        header_right=issuer,
        footer_left=f"{hash_label} {sha256[:16]}…" if sha256 else footer,
        generated_at=beijing(generated) if generated is not None else "",
        **more,
    )


def _numbered_canvas(furniture: PageFurniture):
    """A canvas that draws the header and footer after layout, when the page count is known."""

    class NumberedCanvas(pdfcanvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._saved_pages: list[dict] = []

        def showPage(self):  # noqa: N802 (reportlab API)
            self._saved_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._saved_pages)
            for state in self._saved_pages:
                self.__dict__.update(state)
                self._draw_furniture(total)
                super().showPage()
            super().save()

        def _draw_furniture(self, total: int) -> None:
            width, height = self._pagesize
            self.saveState()
            self.setFont(FONT, 8.5)
            self.setFillColor(FURNITURE_INK)
            self.drawString(MARGIN, height - 12 * mm, furniture.header_left)
            self.drawRightString(width - MARGIN, height - 12 * mm, furniture.header_right)
            self.setStrokeColor(GRID)
            self.setLineWidth(0.6)
            self.line(MARGIN, height - 13.5 * mm, width - MARGIN, height - 13.5 * mm)
            self.line(MARGIN, 13.5 * mm, width - MARGIN, 13.5 * mm)
            self.drawString(MARGIN, 10 * mm, furniture.footer_left)
            self.drawCentredString(width / 2, 10 * mm, f"第 {self._pageNumber} 页 共 {total} 页")
            if furniture.generated_at:
                self.drawRightString(
                    width - MARGIN, 10 * mm, f"生成时间 {furniture.generated_at}（北京时间）"
                )
            if furniture.watermark:
                self.setFillColor(colors.Color(0.8, 0.1, 0.1, alpha=0.18))
                self.setFont(FONT, 48)
                self.translate(width / 2, height / 2)
                self.rotate(35)
                self.drawCentredString(0, 0, furniture.watermark)
            self.restoreState()

    return NumberedCanvas


def bar_chart(
    labels: Sequence[str],
    values: Sequence[Decimal | None],
    *,
    caption: str,
    height_mm: float = 60,
) -> Flowable:
    """A bar chart of one series (e.g. monthly emissions), drawn with reportlab.graphics: vector, embedded
    font, deterministic. Missing values are drawn as zero-height bars."""
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing, String

    numbers = [float(v) if v is not None else 0.0 for v in values]
    height = height_mm * mm
    drawing = Drawing(TEXT_WIDTH, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 18 * mm, 10 * mm
    chart.width, chart.height = TEXT_WIDTH - 24 * mm, height - 20 * mm
    chart.data = [numbers]
    chart.bars[0].fillColor = colors.HexColor("#2f5d8a")
    chart.bars[0].strokeColor = None
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = lambda value: f"{value:,.0f}"
    chart.valueAxis.strokeColor = GRID
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#c9d1d9")
    chart.categoryAxis.categoryNames = list(labels)
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.strokeColor = GRID
    drawing.add(chart)
    drawing.add(String(TEXT_WIDTH / 2, height - 6, caption, fontName=FONT, fontSize=9, textAnchor="middle"))
    return drawing


class SealBox(Flowable):
    """An empty framed box for the enterprise's seal (企业盖章), labelled at its top-left corner."""

    def __init__(self, label: str = "企业盖章", size_mm: float = 42):
        super().__init__()
        self.label = label
        self.width = self.height = size_mm * mm

    def draw(self):
        canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColor(INK)
        canvas.setDash(3, 2)
        canvas.rect(0, 0, self.width, self.height)
        canvas.setFont(FONT, 9)
        canvas.setFillColor(INK)
        canvas.drawString(3 * mm, self.height - 5 * mm, self.label)
        canvas.restoreState()


def build_pdf(
    story: list[Flowable],
    *,
    title: str,
    furniture: PageFurniture,
    author: str = "",
    subject: str = "",
) -> bytes:
    """Lay out `story` on A4 and return the PDF bytes. Same story and metadata → same bytes."""
    register_fonts()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=PAGE_SIZE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        author=author,
        subject=subject,
        creator=GENERATOR,
        producer=GENERATOR,
        invariant=1,
    )
    document.build(list(story), canvasmaker=_numbered_canvas(furniture))
    return buffer.getvalue()
