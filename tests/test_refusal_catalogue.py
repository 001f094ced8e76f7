"""docs/refusals.md lists every refusal code the product raises, per domain (generated from the source)."""

from pathlib import Path

from django.conf import settings

from steward.management.commands.refusal_catalogue import CATALOGUE, render, scan


def test_the_catalogue_lists_every_refusal_code():
    current = render(scan(Path(settings.BASE_DIR)))
    written = (Path(settings.BASE_DIR) / CATALOGUE).read_text(encoding="utf-8")
    assert written == current, (
        "docs/refusals.md is out of date: run `python3 manage.py refusal_catalogue --write`"
    )


def test_the_catalogue_names_codes_with_their_chinese_message():
    refusals = {(r.domain, r.code): r for r in scan(Path(settings.BASE_DIR))}
    # Two that people meet often: a month someone else computed first, a wrong signing password.
    assert "被他人核算" in refusals[("steward.carbon", "conflict")].message
    assert refusals[("steward.annual", "wrong_password")].message == "密码不正确，未签署。"
