"""The 信息公开 form (steward/annual/disclosure.py) as PDF and XLSX: the same sections, rows of label and value."""

from __future__ import annotations

from reports import pdf, xlsx


def render_pdf(title: str, enterprise_name: str, sections, basis: str) -> bytes:
    story = [pdf.text(title, "title"), pdf.text(enterprise_name, "subtitle"), pdf.spacer(6)]
    for section in sections:
        story += [pdf.heading(section.heading), pdf.key_values(section.rows), pdf.spacer(3)]
    story.append(pdf.text(f"格式依据：{basis}", "small"))
    return pdf.build_pdf(
        story,
        title=title,
        furniture=pdf.PageFurniture(enterprise_name, title),
        author=enterprise_name,
    )


def render_xlsx(title: str, enterprise_name: str, sections, basis: str) -> bytes:
    book = xlsx.workbook()
    sheet = book.active
    sheet.title = "信息公开"
    sheet.append([title])
    sheet.append([enterprise_name])
    for section in sections:
        sheet.append([])
        sheet.append([section.heading])
        for label, value in section.rows:
            sheet.append([label, value])
    sheet.append([])
    sheet.append([f"格式依据：{basis}"])
    sheet.column_dimensions["A"].width = 36
    sheet.column_dimensions["B"].width = 60
    return xlsx.to_bytes(book)
