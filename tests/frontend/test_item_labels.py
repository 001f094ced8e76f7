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
