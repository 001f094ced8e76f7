"""The factor library cites some of its sources in English (steward/factors/loader.py, grid_factor_rules.csv):
a Chinese report names them in Chinese, so that a bureau official reads 依据 in one language. Citations not
listed here are already Chinese (环办气候函〔2023〕43号) or a document's own title, and stay as written."""

from __future__ import annotations

import re

from steward.factors.loader import CN_SOURCE, IPCC_SOURCE

ZH = {
    CN_SOURCE: "国家发展改革委2013—2015年分行业企业温室气体排放核算方法与报告指南；GB/T 32150-2015 附录B；"
    "GB/T 2589（低位发热量）",
    IPCC_SOURCE: "《2006年IPCC国家温室气体清单指南》第2卷第1章表1.2—1.4",
    "2023 key-industries notice (cement aluminium steel electricity)": "2023年重点行业通知（水泥、电解铝、钢铁行业购入电力）",
    "carried forward from the 2023 key-industries notice": "沿用2023年重点行业通知",
    "MEE/NBS annual national factors (latest published)": "生态环境部、国家统计局逐年公布的全国电网平均排放因子（最新公布值）",
}
CARRIED_FORWARD = re.compile(r"^carried forward from (.+)$")


def zh(citation: str) -> str:
    """`citation` in Chinese: each "；"-separated part and each "规则：" rule named in Chinese where it is known."""
    parts = []
    for part in citation.split("；"):
        head, sep, tail = part.partition("：")
        if sep and tail:
            parts.append(f"{head}：{zh(tail)}")
            continue
        carried = CARRIED_FORWARD.match(part)
        parts.append(ZH.get(part) or (f"沿用{carried.group(1)}" if carried else part))
    return "；".join(parts)
