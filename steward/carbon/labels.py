"""The Chinese names of the calculator's codes, for documents people read: methodologies, result categories,
traced input names, value origins and factor-library rows. A document never prints the code itself
(`cn_cement_clinker` → 水泥熟料生产（CETS-AG-02.01-V01-2024）)."""

from __future__ import annotations

from steward.carbon.methods import METHODOLOGIES
from steward.factors.shipped import fuel_name

CATEGORY_LABELS = {
    "fuel_combustion": "化石燃料燃烧排放",
    "process": "工业生产过程排放",
    "purchased_electricity": "净购入电力隐含排放",
    "purchased_heat": "净购入热力隐含排放",
}
# Indirect emissions (净购入电力、热力) are reported beside, not inside, the direct figure.
INDIRECT_CATEGORIES = frozenset({"purchased_electricity", "purchased_heat"})

# The calculator's short names of the values it traced (steward/carbon/trace.py).
INPUT_LABELS = {
    "AD": "活动数据",
    "AD_heat": "净购入热力",
    "FC": "燃料消耗量",
    "NCV": "低位发热量",
    "CC": "单位热值含碳量",
    "OF": "碳氧化率",
    "EF_grid": "电网排放因子",
    "EF_heat": "热力排放因子",
    "C": "元素碳含量",
    "C_ar": "收到基元素碳含量",
    "C_ad": "空干基元素碳含量",
    "M_ar": "收到基全水分",
    "M_ad": "空干基水分",
    "A_a": "灰分",
    "S_a": "硫分",
    "NC": "含碳量",
    "Q": "产量",
    "P_Al": "铝液产量",
    "Q_clinker": "熟料产量",
    "Q_raw_meal": "生料消耗量",
    "Q_kiln_dust": "窑头粉尘量",
    "Q_bypass_dust": "旁路放风粉尘量",
    "CaO": "熟料CaO含量",
    "MgO": "熟料MgO含量",
    "CaO_nc": "非碳酸盐CaO含量",
    "MgO_nc": "非碳酸盐MgO含量",
    "C_raw_meal": "生料有机碳含量",
    "clinker_output": "熟料产量",
    # 平板玻璃, 化工, 造纸 (steward/carbon/methods/glass.py, chemicals.py, paper.py, carbonates.py)
    "M": "碳酸盐原料消耗量",
    "PUR": "碳酸盐纯度",
    "EF_carbonate": "碳酸盐排放因子",
    "F_calc": "煅烧比例",
    "Q_cp": "碳粉消耗量",
    "C_cp": "碳粉含碳量",
    "AD_r": "原料消耗量",
    "CC_r": "原料含碳量",
    "AD_p": "含碳产品产量",
    "CC_p": "含碳产品含碳量",
    "AD_w": "含碳废物量",
    "CC_w": "含碳废物含碳量",
    "P_HNO3": "硝酸产量",
    "P_adipic": "己二酸产量",
    "EF_N2O": "N2O生成因子",
    "eta": "N2O去除效率",
    "mu": "尾气处理设备使用率",
    "GWP_N2O": "N2O全球增温潜势",
    "GWP_CH4": "CH4全球增温潜势",
    "W": "厌氧处理废水量",
    "COD_in": "进口COD浓度",
    "COD_out": "出口COD浓度",
    "S": "污泥去除的COD",
    "B0": "最大产甲烷能力",
    "MCF": "甲烷修正因子",
    "R_CH4": "甲烷回收量",
}
ORIGIN_LABELS = {
    "measured": "企业实测",
    "default": "缺省值",
    "factor_library": "缺省值（因子库）",
    "factor": "缺省值（因子库）",
}
FACTOR_STATUS_LABELS = {"verified": "已核实", "to_verify": "待核实"}
UNIT_LABELS = {"fraction": "（比例）"}


def methodology_label(code: str, version: str = "") -> str:
    """`cn_cement_clinker`, "CETS-AG-02.01-V01-2024 (…)" → 水泥熟料生产（CETS-AG-02.01-V01-2024）."""
    module = METHODOLOGIES.get(code)
    title = module.TITLE if module is not None else "核算方法"
    edition = (version or (module.VERSION if module is not None else "")).split(" (")[0].strip()
    return f"{title}（{edition}）" if edition else title


def category_label(code: str) -> str:
    return CATEGORY_LABELS.get(code, "其他排放")


def input_label(name: str) -> str:
    return INPUT_LABELS.get(name, "计算参数")


def origin_label(origin: str) -> str:
    return ORIGIN_LABELS.get(origin, "其他来源")


def factor_row_label(row_id: str) -> str:
    """A factor-library row as people name it: `cn:bituminous_coal` → 烟煤（国家缺省值）,
    `grid:ets_power:CN:2022:location` → 全国电网平均排放因子（2022年）."""
    if not row_id:
        return ""
    parts = row_id.split(":")
    if parts[0] == "grid":
        year = next((p for p in parts if p.isdigit() and len(p) == 4), "")
        scope = "全国电网平均排放因子" if "CN" in parts else "区域电网排放因子"
        return f"{scope}（{year}年）" if year else scope
    if parts[0] in ("cn", "ipcc") and len(parts) > 1:
        name = fuel_name(parts[1])
        if name == parts[1]:
            name = "燃料"
        return f"{name}（{'国家缺省值' if parts[0] == 'cn' else 'IPCC缺省值'}）"
    return "因子库条目"
