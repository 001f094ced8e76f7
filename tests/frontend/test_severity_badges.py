"""Finding severities are shown as coloured badges with their Chinese label (阻断 red, 警告 amber, 提示 blue), never
as the rule pack's code, on the carbon month page and the filing page."""

import re

import pytest
from django.template import Context, Template
from django.utils import translation

from steward.demo.period import last_month

BADGE = re.compile(r'<span class="badge (severity-[a-z]+)" data-severity="([a-z]+)">([^<]*)</span>')
LABELS = {"blocking": "阻断", "warning": "警告", "info": "提示"}


def badges(html: str) -> list[tuple[str, str, str]]:
    found = BADGE.findall(html)
    assert found, "no severity badge on the page"
    return found


def assert_labelled(html: str) -> None:
    for css, severity, label in badges(html):
        assert css == f"severity-{severity}" and label == LABELS[severity]
    assert not re.search(r">\s*(blocking|warning|info)\s*<", html)  # the code is never the visible text


@pytest.mark.django_db
def test_month_and_filing_pages_show_chinese_severity_badges(user_client):
    year = last_month()[0]
    client = user_client("power.filer")
    assert_labelled(client.get(f"/e/cx-power/carbon/{year}/2/").content.decode())

    opened = client.post(f"/e/cx-power/filing/{year}/2/open/", follow=True)
    assert opened.status_code == 200
    filing = opened.content.decode()
    assert 'data-testid="filing-findings"' in filing
    assert_labelled(filing)
    assert ("severity-blocking", "blocking", "阻断") in badges(filing)


def test_every_severity_has_its_colour_class_and_english_label():
    template = Template("{% load label_tags %}{% severity_badge s %}")
    rendered = {s: template.render(Context({"s": s})) for s in LABELS}
    assert rendered == {
        s: f'<span class="badge severity-{s}" data-severity="{s}">{label}</span>'
        for s, label in LABELS.items()
    }
    with translation.override("en"):
        english = [BADGE.search(template.render(Context({"s": s}))).group(3) for s in LABELS]
    assert english == ["Blocking", "Warning", "Info"]
