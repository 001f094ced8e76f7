"""A finding's object reads as words: every calculation line a methodology names by a key of its own has a
label, so no page shows purchased_electricity_clinker or raw_meal_carbon."""

import re
from pathlib import Path

from django.utils import translation

from frontend.labels import NAMED_LINE_LABELS
from frontend.templatetags.label_tags import item_label
from steward.carbon.models import EmissionSource

METHODS = Path(__file__).parents[2] / "steward/carbon/methods"


def test_every_named_line_of_a_methodology_has_a_label():
    keys = set()
    for path in METHODS.glob("*.py"):
        keys |= set(re.findall(r'\bkey="([a-z_.]+)"', path.read_text(encoding="utf-8")))
    assert "purchased_electricity_clinker" in keys  # the scan reads the methodologies
    unnamed = keys - set(NAMED_LINE_LABELS) - set(EmissionSource.Kind.values)
    assert not unnamed, (
        f"line keys without a label in frontend/labels.py NAMED_LINE_LABELS: {sorted(unnamed)}"
    )


def test_a_named_line_reads_in_the_readers_language():
    with translation.override("zh-hans"):
        assert item_label("purchased_electricity_clinker") == "净购入电力（熟料生产设施）"
    with translation.override("en"):
        english = item_label("purchased_electricity_clinker")
    assert english != "purchased_electricity_clinker" and not re.search(r"[\u3400-\u9fff]", english)


def test_a_timeline_note_about_a_finding_names_its_object():
    from frontend.templatetags.label_tags import finding_note

    with translation.override("zh-hans"):
        assert finding_note("DQ-T01 month：演示数据：已核实") == "DQ-T01 本月：演示数据：已核实"
        assert finding_note("DQ-E01 fuel[0]：纸质原件已核验") == "DQ-E01 燃料燃烧 第1项：纸质原件已核验"
        assert finding_note("DQ-E01 K1-CLK：原件已核验") == "DQ-E01 K1-CLK：原件已核验"  # a source's own code
        assert finding_note("HZ-DQ-2026.3：10 项发现") == "HZ-DQ-2026.3：10 项发现"
