"""The activity-data template's layout, shared by the generator and the reader.

Columns are found by their Chinese header (not position), so a user who reorders columns or merges the title
cells above the header row still imports cleanly.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

TEMPLATE_ID = "carbon-steward/activity-monthly"
TEMPLATE_VERSION = "1"
DATA_SHEET = "活动数据"
NOTES_SHEET = "填报说明"
LISTS_SHEET = "代码表"
META_SHEET = "_meta"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    note: str
    required: bool = False


COLUMNS = (
    Column("source_code", "排放源编号", "系统中的排放源编号，请勿修改", required=True),
    Column("source_name", "排放源名称", "仅供核对，导入时不读取"),
    Column("meters", "计量器具", "该排放源登记的计量器具（出厂编号），仅供核对"),
    Column("year", "年份", "核算年份", required=True),
    Column("month", "月份", "1–12", required=True),
    Column("quantity", "活动数据", "非负数；可带千位分隔符；留空表示本月不导入该行"),
    Column("unit", "单位", "从下拉列表选择，须与排放源类别相符"),
    Column("data_source", "数据来源", "生产系统计量 / 购销存台账 / 结算凭证"),
    Column("ncv", "低位发热量", "仅燃料燃烧源；单位见“热值单位”列"),
    Column("ncv_unit", "热值单位", "如 GJ/t、GJ/10^4 Nm3"),
    Column("carbon_content_ar", "收到基元素碳含量（%）", "仅燃料燃烧源，0–100"),
    Column("oxidation_rate", "碳氧化率（%）", "仅燃料燃烧源，0–100"),
    Column("note", "备注", "不导入"),
)
BY_KEY = {column.key: column for column in COLUMNS}
PERCENT_PARAMETERS = ("carbon_content_ar", "oxidation_rate")


def normalise_header(text: object) -> str:
    """NFKC (full-width → ASCII), no whitespace, no line breaks: '收到基元素碳含量(%)' matches '（%）'."""
    return "".join(unicodedata.normalize("NFKC", str(text or "")).split())


HEADER_INDEX = {normalise_header(column.header): column.key for column in COLUMNS}
