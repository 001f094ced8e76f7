"""The activity-data template's layout, shared by the generator and the reader.

Columns are found by their Chinese header (not position), so a user who reorders columns or merges the title
cells above the header row still imports cleanly.

The measured-parameter columns come from the enterprise's sector: its methodology's monthly parameter set
(`steward.carbon.parameter_sets`), one column per parameter over the kinds of source the enterprise has, with a
heating value's unit beside it and one lab-report column for the row's lab-backed values. A methodology without
a set of its own keeps the fuel columns every template has carried (NCV, carbon content, oxidation rate).
Headers are Chinese whatever the downloader's language: a template is read back by its headers.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import translation

from steward.carbon.models import EmissionSource
from steward.carbon.parameter_sets import DEFAULT_SET, PARAMETER_SETS, ParameterSpec

TEMPLATE_ID = "carbon-steward/activity-monthly"
TEMPLATE_VERSION = "1"
DATA_SHEET = "活动数据"
NOTES_SHEET = "填报说明"
LISTS_SHEET = "代码表"
META_SHEET = "_meta"
FUEL = EmissionSource.Kind.FUEL_COMBUSTION
# The three ParameterSpec units that are not one fixed unit: a percentage, a heating value, the record's own unit.
PERCENT, NCV, ACTIVITY_UNIT = "%", "ncv", "activity"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    note: str
    required: bool = False
    unit: str = ""  # a measured parameter's ParameterSpec.unit ("%", "ncv", "activity", "t" …); "" otherwise
    kinds: tuple[str, ...] = ()  # the kinds of source whose rows the column is for; () = every row

    @property
    def is_parameter(self) -> bool:
        return bool(self.unit)


BASE_COLUMNS = (
    Column("source_code", "排放源编号", "系统中的排放源编号，请勿修改", required=True),
    Column("source_name", "排放源名称", "仅供核对，导入时不读取"),
    Column("meters", "计量器具", "该排放源登记的计量器具（出厂编号），仅供核对"),
    Column("year", "年份", "核算年份", required=True),
    Column("month", "月份", "1–12", required=True),
    Column("quantity", "活动数据", "非负数；可带千位分隔符；留空表示本月不导入该行"),
    Column("unit", "单位", "从下拉列表选择，须与排放源类别相符"),
    Column("data_source", "数据来源", "生产系统计量 / 购销存台账 / 结算凭证"),
)
NCV_UNIT = Column(
    "ncv_unit", "热值单位", "如 GJ/t、GJ/10^4 Nm3；留空：固体液体燃料 GJ/t，气体燃料 GJ/10^4 Nm3"
)
LAB_REPORT = Column(
    "lab_report",
    "检测报告编号",
    "本行实测参数（注明“依据检测报告”的列）所依据的检测报告编号，须已在月度数据页面上传登记；"
    "留空：与现有数值相同的参数沿用原引用",
)
NOTE = Column("note", "备注", "不导入")
BY_KEY = {column.key: column for column in (*BASE_COLUMNS, NCV_UNIT, LAB_REPORT, NOTE)}


def parameter_header(spec: ParameterSpec) -> str:
    """'熟料CaO含量（%）', '窑头粉尘量（t）', '低位发热量' (its unit in 热值单位), always in Chinese."""
    with translation.override("zh-hans"):
        label = spec.label
    if spec.unit == NCV:
        return label
    if spec.unit == ACTIVITY_UNIT:
        return f"{label}（同活动数据单位）"
    return f"{label}（{spec.unit}）"


def _parameter_note(spec: ParameterSpec, kinds: tuple[str, ...]) -> str:
    with translation.override("zh-hans"):
        where = "、".join(str(EmissionSource.Kind(kind).label) for kind in kinds)
    unit = {
        PERCENT: "百分数，填 0–100 的数值（如 52.30 表示 52.30%）",
        NCV: "单位见“热值单位”列",
        ACTIVITY_UNIT: "与本行“单位”列同一单位",
    }.get(spec.unit, f"单位 {spec.unit}，非负数")
    lab = "；依据检测报告（填“检测报告编号”）" if spec.lab else ""
    return f"仅{where}排放源；{unit}{lab}；留空：不导入该参数（更正时保留现有数值）"


def parameter_columns(sets: dict[str, tuple[ParameterSpec, ...]], *, lab_column: bool) -> tuple[Column, ...]:
    """One column per parameter of `sets` (kind → specs), in the set's order; a parameter several kinds share
    (none today) is one column for all of them. A heating value brings its unit column."""
    kinds: dict[str, list[str]] = {}
    specs: dict[str, ParameterSpec] = {}
    for kind, kind_specs in sets.items():
        for spec in kind_specs:
            specs.setdefault(spec.name, spec)
            kinds.setdefault(spec.name, []).append(kind)
    columns: list[Column] = []
    for name, spec in specs.items():
        applies = tuple(kinds[name])
        note = _parameter_note(spec, applies)
        columns.append(Column(name, parameter_header(spec), note, unit=spec.unit, kinds=applies))
        if spec.unit == NCV:
            columns.append(Column(NCV_UNIT.key, NCV_UNIT.header, NCV_UNIT.note, kinds=applies))
    lab_kinds = tuple(kind for kind, kind_specs in sets.items() if any(spec.lab for spec in kind_specs))
    if lab_column and lab_kinds:
        columns.append(Column(LAB_REPORT.key, LAB_REPORT.header, LAB_REPORT.note, kinds=lab_kinds))
    return tuple(columns)


def template_columns(methodology: str, kinds: Iterable[str]) -> tuple[Column, ...]:
    """The data sheet's columns for an enterprise of `methodology` whose sources are of `kinds`."""
    own = PARAMETER_SETS.get(methodology)
    if own is None:  # no set of its own: the template as it has always been (the fuel columns, no lab column)
        return BASE_COLUMNS + parameter_columns({FUEL: DEFAULT_SET[FUEL]}, lab_column=False) + (NOTE,)
    present = set(kinds)
    sets = {kind: specs for kind, specs in own.items() if kind in present and specs}
    return BASE_COLUMNS + parameter_columns(sets, lab_column=True) + (NOTE,)


def normalise_header(text: object) -> str:
    """NFKC (full-width → ASCII), no whitespace, no line breaks: '收到基元素碳含量(%)' matches '（%）'."""
    return "".join(unicodedata.normalize("NFKC", str(text or "")).split())


def header_index() -> dict[str, str]:
    """Normalised header → column key, for every column any template has: the fixed ones and every parameter
    of every sector's set, so a parameter column outside the row's set is named in a row error, not ignored.
    Built when called (not at import) so a set added later is read too."""
    index = {normalise_header(column.header): column.key for column in BY_KEY.values()}
    for sets in (DEFAULT_SET, *PARAMETER_SETS.values()):
        for specs in sets.values():
            for spec in specs:
                index.setdefault(normalise_header(parameter_header(spec)), spec.name)
    return index
