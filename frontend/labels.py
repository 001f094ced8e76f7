from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

ROLE_LABELS = {
    "enterprise_admin": _("企业管理员"),
    "enterprise_filer": _("企业填报员（EHS）"),
    "enterprise_signatory": _("企业签字人"),
    "steward_reviewer": _("管家审核员"),
    "steward_manager": _("管家项目经理"),
    "bureau_viewer": _("监管查看员"),
    "bureau_inspector": _("监管检查员"),
    "bank_officer": _("银行授信人员"),
    "platform_admin": _("平台管理员"),
}

# Finding severities of the rule pack (steward.quality.registry), as people read them; the badge class gives the
# colour: 阻断 red, 警告 amber, 提示 blue.
SEVERITY_LABELS = {
    "blocking": pgettext_lazy("finding severity", "阻断"),
    "warning": pgettext_lazy("finding severity", "警告"),
    "info": pgettext_lazy("finding severity", "提示"),
}
SEVERITY_CLASSES = {
    "blocking": "severity-blocking",
    "warning": "severity-warning",
    "info": "severity-info",
}

# Electricity factor regimes of the factor library (steward/factors/data/grid_factors_cn.csv).
GRID_REGIME_LABELS = {
    "ets_power": _("全国碳市场发电行业"),
    "ets_industry": _("全国碳市场工业行业"),
    "general": _("通用（生态环境部公布）"),
}

# The prefix of a factor library row id (cn:natural_gas, ipcc:lignite, grid:ets_power:…): which table it is from.
FACTOR_SOURCE_LABELS = {
    "cn": _("国内指南缺省值"),
    "ipcc": _("IPCC 2006 缺省值"),
    "grid": _("电网排放因子"),
}

# Calculation line keys (fuel[0], electricity[1] …) by the category they belong to.
LINE_LABELS = {
    "fuel": _("燃料燃烧"),
    "fuels": _("燃料燃烧"),
    "electricity": _("净购入电力"),
    "heat": _("净购入热力"),
    "clinker": _("熟料生产"),
    "process": _("工业过程"),
    "inputs": _("钢铁生产投入"),
    "outputs": _("钢铁生产产出"),
}

# Calculation lines a methodology names by a key of its own (not a source kind, not fuel[0]): findings cite them.
NAMED_LINE_LABELS = {
    "purchased_electricity_clinker": _("净购入电力（熟料生产设施）"),
    "raw_meal_carbon": _("生料中非燃料碳煅烧"),
    "anode_consumption": _("炭阳极消耗"),
    "anode_effect_pfc": _("阳极效应全氟化碳（CF4、C2F6）"),
    "glass.carbon_powder": _("配料碳粉氧化"),
    "paper.wastewater": _("废水厌氧处理甲烷（CH4）"),
}

GRID_SCOPE_LABELS = {"national": _("全国"), "regional": _("区域"), "provincial": _("省级")}
GRID_BASIS_LABELS = {
    "location": _("基于位置"),
    "fossil_only": _("仅化石能源发电"),
    "excl_market_nonfossil": _("扣除市场化交易的非化石能源电量"),
}
GRID_REGION_LABELS = {"CN": _("中国"), "East China (华东)": _("华东")}

# The carbon-efficiency grading table (steward/factors/data/carbon_efficiency_grading_zj.csv) names its bands in
# Chinese and English together and its colours in English; people read one language.
GRADING_LABELS = {
    "低碳 low-carbon": _("低碳"),
    "中碳 medium-carbon": _("中碳"),
    "高碳 high-carbon": _("高碳"),
    "1 high efficiency": _("1级（高效）"),
    "2": _("2级"),
    "3 near industry average": _("3级（接近行业平均）"),
    "4": _("4级"),
    "5 low efficiency": _("5级（低效）"),
}
COLOUR_LABELS = {
    "deep green": _("深绿"),
    "light green": _("浅绿"),
    "yellow": _("黄"),
    "orange": _("橙"),
    "red": _("红"),
}
