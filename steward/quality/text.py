"""A finding's message as the rule pack wrote it, so a page can render it in the reader's language.

A rule writes its message as a catalogue entry, Chinese with `%(name)s` placeholders, and the values it fills in
(`Message("%(source)s 缺少本月活动数据", source=name)`). The finding keeps both: the Chinese sentence, which is
its record (the filing record PDF, the annual report and the history keep it as written), and the entry with its
values (`as_json()`), from which pages render the message through gettext at display time. A value is kept as
written (a source's name, a figure already formatted, a date) unless it is a `Term`: a Chinese label the
catalogue translates too (a parameter's name, "上月"), or `Terms`, several of them listed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Term:
    """A Chinese label inside a message that the catalogue translates (低位发热量 → net calorific value)."""

    zh: str


@dataclass(frozen=True)
class Terms:
    """Several labels listed: 氢含量、全硫 in Chinese, "hydrogen, total sulphur" in English."""

    items: tuple[str, ...]

    @classmethod
    def of(cls, labels: Iterable[str]) -> Terms:
        return cls(tuple(labels))


def _chinese_value(value) -> str:
    if isinstance(value, Term):
        return value.zh
    if isinstance(value, Terms):
        return "、".join(value.items)
    return str(value)


def _stored_value(value):
    if isinstance(value, Term):
        return {"term": value.zh}
    if isinstance(value, Terms):
        return {"terms": list(value.items)}
    return str(value)


class Message:
    """A catalogue entry (Chinese, with `%(name)s` placeholders) and the values that fill it."""

    def __init__(self, template: str, **params):
        self.template = template
        self.params = params

    def chinese(self) -> str:
        """The sentence as the record keeps it."""
        if not self.params:
            return self.template
        return self.template % {name: _chinese_value(value) for name, value in self.params.items()}

    def as_json(self) -> dict:
        return {"id": self.template, "params": {name: _stored_value(v) for name, v in self.params.items()}}

    def __str__(self) -> str:
        return self.chinese()


def stored(message: str | Message) -> dict:
    """What a finding stores to render its message later; a plain sentence is its own catalogue entry."""
    return message.as_json() if isinstance(message, Message) else {"id": str(message), "params": {}}


def _listed(items) -> str:
    separator = "、" if (get_language() or "zh-hans").startswith("zh") else ", "
    return separator.join(_(item) for item in items)


def _display_value(value) -> str:
    if isinstance(value, dict) and "term" in value:
        return _(value["term"])
    if isinstance(value, dict) and "terms" in value:
        return _listed(value["terms"])
    return str(value)


def render(text: dict | None, fallback: str = "") -> str:
    """The stored message in the active language; the Chinese sentence when nothing was stored to render it."""
    if not text or not text.get("id"):
        return _(fallback) if fallback else ""
    template, params = _(text["id"]), text.get("params") or {}
    if not params:
        return template
    values = {name: _display_value(value) for name, value in params.items()}
    try:
        return template % values
    except (KeyError, TypeError, ValueError):  # an entry that does not fit its values: the record's words
        return fallback or text["id"]
