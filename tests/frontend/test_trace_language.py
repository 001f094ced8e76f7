"""The calculation trace is stored in Chinese with its run (the record); an English page reads its labels,
sources, notes and warnings in English, names people gave (a source's own) as written, and a Chinese page
shows exactly what was stored."""

import re

from django.template import Context, Template
from django.utils import translation

from frontend.templatetags.label_tags import trace_text, trace_warning

CJK = re.compile(r"[\u4e00-\u9fff]")
RESULT = {
    "lines": [
        {
            "key": "fuel[0]",
            "label": "窑头窑尾烟煤",  # the source's own name
            "inputs": [
                {"name": "FC", "reason": "录入 19800 t", "origin": "measured"},
                {
                    "name": "CC",
                    "origin": "default",
                    "source": "发电设施核算指南（2022年修订版）",
                    "reason": "未提供有效的元素碳检测，按指南取高限缺省值（保守）；缺省值沿用2022年修订版（485号文本未读到）",
                },
            ],
        },
        {
            "key": "purchased_electricity",
            "label": "净购入电力",
            "inputs": [
                {
                    "name": "EF_grid",
                    "source": "环办气候函〔2023〕43号；规则：carried forward",
                    "origin": "factor",
                }
            ],
        },
    ]
}
WARNINGS = [
    {
        "code": "default_used",
        "line": "fuel[0]",
        "label": "窑头窑尾烟煤",
        "parameter": "CC",
        "message": "窑头窑尾烟煤：CC 使用缺省值（…）",
    },
    {
        "code": "unconfirmed_factor",
        "line": "purchased_electricity",
        "label": "净购入电力",
        "parameter": "EF_grid",
        "message": "净购入电力：EF_grid 取自待核实的因子（环办气候函〔2023〕43号；规则：carried forward）",
    },
    {
        "code": "input_not_used",
        "line": "fuel[1]",
        "message": "天然气：气体燃料按体积计量，元素碳含量不适用，已按热值法计算（请提供单位热值含碳量）",
    },
    {"code": "note", "message": "未单独录入熟料生产设施用电：购入电力只计入企业层级"},
]


def test_an_english_page_reads_the_trace_in_english_with_names_as_written():
    with translation.override("en"):
        assert trace_text("录入 19800 t") == "entered as 19800 t"
        assert trace_text("环办气候函〔2023〕43号；规则：carried forward") == (
            "Huanban Qihou Han [2023] No. 43; Rule: carried forward"
        )
        assert trace_text("熟料生产过程（碳酸盐分解，含窑头粉尘和旁路放风粉尘）").startswith(
            "Clinker production process"
        )
        assert trace_text("窑头窑尾烟煤") == "窑头窑尾烟煤"  # a name stays as its owner wrote it
        texts = [trace_warning(warning, RESULT) for warning in WARNINGS]
        reason = trace_text(RESULT["lines"][0]["inputs"][1]["reason"])
    assert texts[0].startswith("窑头窑尾烟煤: CC uses a default value (no valid element carbon test")
    assert "Huanban Qihou Han [2023] No. 43" in texts[1]
    for text in [*texts[1:], reason]:
        assert not CJK.search(text.replace("天然气", "")), text


def test_a_chinese_page_shows_the_trace_as_stored():
    with translation.override("zh-hans"):
        for warning in WARNINGS:
            assert trace_warning(warning, RESULT) == warning["message"]
        rendered = Template("{% load label_tags %}{{ text|trace_text }}").render(
            Context({"text": "环办气候函〔2023〕43号；规则：carried forward"})
        )
    assert rendered == "环办气候函〔2023〕43号；规则：carried forward"
