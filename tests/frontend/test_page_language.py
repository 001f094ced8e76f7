"""Every page a demo user can reach speaks the person's language: no exponent notation, no Decimal as stored
(0.600000, a quotient's 28 digits), no internal code
(methodology, fuel, parameter, severity, status, line key, factor row id) and, in English, no Chinese outside
what people typed or named (enterprises, people, places, comments); and no link on a page leads to a 404.

The crawl starts at /home/ for each demo role and follows same-site GET links breadth-first, in Chinese and
again with the English language cookie."""

from __future__ import annotations

import csv
import re
from collections import Counter, deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.db import models
from django_tenants.utils import schema_context

from frontend.labels import NAMED_LINE_LABELS
from steward.carbon.methods import METHODOLOGIES
from steward.carbon.models import MeasuredParameter, OutputRecord
from steward.filing.models import FilingStatus
from tenants.models import Enterprise

USERS = [
    "power.filer",
    "power.admin",
    "power.signatory",
    "cement.filer",
    "greencarbon.reviewer",
    "greencarbon.manager",
    "qingyuan.reviewer",
    "city.viewer",
    "city.inspector",
    "wuxing.viewer",
    "huzhou.bank",
    "changxing.inspector",
    "cement.signatory",
    "paper.filer",
]
PAGES_PER_USER = 100  # the demo world has at most 80 page shapes per person; the crawl reaches them all
PAGES_PER_SHAPE = 3  # /filing/2025/1/ … /filing/2025/12/ are one page shape: a few of each, then other pages
SKIPPED_PATH = re.compile(
    r"^/(static|api|admin|i18n)/|/accounts/logout/|\.(pdf|xlsx|zip|json|csv|xml|txt)$|/download|/export"
)
EXPONENT = re.compile(r"\b\d(?:\.\d+)?[eE][+-]?\d+\b")
# A Decimal shown as stored or computed: padded zeros (0.600000) or a quotient's digits (2929899.0933333333).
RAW_DECIMAL = re.compile(r"(?<![\w.,])\d+\.(?:\d*0{5,}|\d{7,})(?![\w.])")
# The repository's research notes (DOMAIN.md §2.2 [R]) are for developers, not for a page's tooltips.
REPO_NOTE = re.compile(r"DOMAIN\.md")
LINE_KEY = re.compile(r"\b[a-z_]+\[\d+\]")
FACTOR_ROW = re.compile(r"\b(?:cn|ipcc2006|ipcc|grid):[a-z0-9_]+\b")
CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]+")
CJK_CHAR = re.compile(r"[\u3400-\u9fff]")

# Words a page may contain in English as plain English, so they are only codes on a Chinese page.
ENGLISH_WORDS = {"blocking", "warning", "info", "draft", "locked", "returned", "coke", "diesel", "gasoline"}
ENGLISH_WORDS |= {"kerosene", "lignite", "anthracite", "lpg", "month"}

# Chinese that stays on English pages, each with its reason. Keep this list short and explicit.
# Besides these, elements marked data-user-text (what people typed or named) or data-domain-text may stay
# Chinese. Domain text is only what is Chinese by nature, not a translation left undone: the national
# 管理平台's own name of a hand-off item, shown beside its English so the filer finds the field on a platform that
# exists only in Chinese, and the register's fuel carriers and 速算 methods as the city's feed names them. Findings
# (stored with their catalogue entry and values), the calculation trace and the hand-off's items render in the
# reader's language. Marked text is still scanned for codes and exponents.
ENGLISH_PAGE_ALLOWED = {
    "中文",  # the switch back to Chinese is labelled in Chinese, for the people who read it
    "碳",  # the brand mark of the logo (aria-hidden), a glyph rather than a word
    "简体中文",  # the language switcher names Chinese in Chinese, as switchers do
}


def _fuel_codes() -> set[str]:
    codes = set()
    for path in (Path(__file__).parents[2] / "steward/factors/data").glob("fuel_defaults_*.csv"):
        rows = (line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#"))
        codes |= {row["fuel_code"] for row in csv.DictReader(rows)}
    return codes


def _grading_words() -> set[str]:
    """The English of the carbon-efficiency grading table (低碳 low-carbon, deep green …): codes on a page."""
    path = Path(__file__).parents[2] / "steward/factors/data/carbon_efficiency_grading_zj.csv"
    rows = (line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#"))
    words = set()
    for row in csv.DictReader(rows):
        english = re.sub(r"^[\d\s\u3400-\u9fff]+", "", row["label"]).strip()
        words |= {english, row["colour"].strip()} - {""}
    return words


def internal_codes() -> set[str]:
    codes = set(METHODOLOGIES) | {"gbt32150_generic"} | _fuel_codes()
    codes |= set(MeasuredParameter.Name.values) | set(FilingStatus.values)
    codes |= {"blocking", "warning", "info"}
    codes |= {"fuel_combustion", "clinker_process", "purchased_electricity", "purchased_heat"}
    codes |= {"ets_power", "ets_industry", "to_verify", "verified", "not_started"} | _grading_words()
    codes |= (
        set(OutputRecord.Kind.values) | set(NAMED_LINE_LABELS) | {"month"}
    )  # review items, findings' objects
    return codes


class VisibleText(HTMLParser):
    """The text a person reads: body text and title/placeholder/aria-label attributes, without script and
    style. Text inside elements marked data-user-text (what people typed or named) or data-domain-text (see
    DOMAIN_TEXT) is kept apart: it is scanned for codes but may be Chinese on an English page."""

    ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
    VOID = {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }
    MARKERS = ("data-user-text", "data-domain-text")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[tuple[str, bool]] = []  # (text, inside a marked element)
        self.links: list[str] = []
        self._stack: list[tuple[str, str]] = []  # (tag, "hidden" | "marked" | "")

    def _state(self, kind: str) -> bool:
        return any(state == kind for _tag, state in self._stack)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        hidden = self._state("hidden") or tag in ("script", "style", "template")
        marked = self._state("marked") or any(marker in attributes for marker in self.MARKERS)
        if not hidden:
            texts = [attributes[name] for name in self.ATTRIBUTES if attributes.get(name)]
            if tag == "input" and attributes.get("type") in ("submit", "button") and attributes.get("value"):
                texts.append(attributes["value"])
            self.parts.extend((text, marked) for text in texts)
        if tag not in self.VOID:
            self._stack.append((tag, "hidden" if hidden else "marked" if marked else ""))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self._stack.pop()

    def handle_endtag(self, tag):
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index][0] == tag:
                del self._stack[index:]
                break

    def handle_data(self, data):
        if not self._state("hidden") and data.strip():
            self.parts.append((data, self._state("marked")))


def read(html: str) -> VisibleText:
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    return parser


def demo_data_strings() -> list[str]:
    """Every string people or the demo stored that contains Chinese (names, addresses, comments …), longest
    first, so an English page may show them as they were typed."""
    strings: set[str] = set()

    def collect(model_classes):
        for model in model_classes:
            if model._meta.proxy or not model._meta.managed:
                continue
            names = [
                f.name
                for f in model._meta.concrete_fields
                if isinstance(f, (models.CharField, models.TextField)) and not f.choices
            ]
            if not names:
                continue
            for row in model.objects.values_list(*names):
                strings.update(value for value in row if isinstance(value, str) and CJK_CHAR.search(value))

    from django.conf import settings

    tenant_apps = set(settings.TENANT_APPS) - set(settings.SHARED_APPS)
    public_models, tenant_models = [], []
    for model in apps.get_models():
        (tenant_models if model._meta.app_config.name in tenant_apps else public_models).append(model)
    with schema_context("public"):
        collect(public_models)
    for enterprise in Enterprise.objects.all():
        with schema_context(enterprise.schema_name):
            collect(tenant_models)
    pieces: set[str] = set()
    for value in strings:
        pieces.add(value.strip())
        pieces.update(part.strip() for part in re.split(r"[\n\r]+", value) if part.strip())
    return sorted(pieces, key=len, reverse=True)


def scan(parts: list[tuple[str, bool]], *, english: bool, codes: set[str], data: list[str]) -> list[str]:
    text = " ".join(" ".join(part for part, _marked in parts).split())
    hits = [match.group() for match in EXPONENT.finditer(text)]
    hits += [match.group() for match in RAW_DECIMAL.finditer(text)]
    hits += [match.group() for match in REPO_NOTE.finditer(text)]
    hits += [match.group() for match in LINE_KEY.finditer(text)]
    hits += [match.group() for match in FACTOR_ROW.finditer(text)]
    for code in codes:
        if english and (code in ENGLISH_WORDS or "_" not in code):
            continue  # a plain word (diesel, warning, deep green) is English on an English page
        if re.search(rf"(?<![\w/.-]){re.escape(code)}(?![\w/.-])", text):
            hits.append(code)
    if english:
        whole = set(data)
        for part, marked in parts:
            part = " ".join(part.split())
            if marked or part in whole or not CJK_CHAR.search(part):
                continue
            for value in data:  # a name inside a sentence: "浙江长兴发电有限公司 · 2026"
                if len(value) >= 2 and value in part:
                    part = part.replace(value, " ")
            hits += [
                run for run in CJK.findall(part) if CJK_CHAR.search(run) and run not in ENGLISH_PAGE_ALLOWED
            ]
    return hits


def crawl(client, *, english: bool, codes: set[str], data: list[str], user: str):
    """Breadth-first over the user's same-site GET links from /home/: (pages scanned, hits). A link that
    answers 404 is a hit too: a page never links what does not exist."""
    seen, queue, hits, scanned, shapes = {"/home/"}, deque([("/home/", "")]), [], 0, Counter()
    while queue and scanned < PAGES_PER_USER:
        path, linked_from = queue.popleft()
        response = client.get(path)
        if response.status_code == 404:
            hits.append((user, "en" if english else "zh", linked_from, f"link to {path} answers 404"))
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        scanned += 1
        page = read(response.content.decode())
        for hit in scan(page.parts, english=english, codes=codes, data=data):
            hits.append((user, "en" if english else "zh", path, hit))
        for href in page.links:
            parts = urlsplit(href)
            if not href.startswith("/") or href.startswith("//") or SKIPPED_PATH.search(parts.path):
                continue
            shape = re.sub(r"\d+", "N", parts.path)
            if parts.path not in seen and shapes[shape] < PAGES_PER_SHAPE:
                seen.add(parts.path)
                shapes[shape] += 1
                queue.append((parts.path, path))
    return scanned, hits


def _context(hits, limit=2000) -> str:
    """One line per (page, offending text), naming the users who saw it."""
    users: dict[tuple[str, str, str], set[str]] = {}
    for user, lang, path, text in hits:
        users.setdefault((lang, path, text), set()).add(user)
    lines = [
        f"[{lang}] {path}: {text!r} ({', '.join(sorted(who))})"
        for (lang, path, text), who in sorted(users.items())
    ]
    return f"{len(lines)} hits\n" + "\n".join(lines[:limit])


@pytest.mark.django_db
@pytest.mark.parametrize("english", [False, True], ids=["zh", "en"])
def test_no_page_shows_codes_exponents_or_the_other_language(user_client, english, capsys):
    codes, data = internal_codes(), demo_data_strings() if english else []
    hits, counts = [], {}
    for username in USERS:
        client = user_client(username)
        client.cookies["django_language"] = "en" if english else "zh-hans"
        counts[username], found = crawl(client, english=english, codes=codes, data=data, user=username)
        hits += found
    with capsys.disabled():
        print(f"\npages scanned ({'en' if english else 'zh'}): {counts} total {sum(counts.values())}")
    assert all(count >= 5 for count in counts.values()), counts  # the crawl reached each user's pages
    assert not hits, _context(hits)
