"""The logins `manage.py demo` prints are the README's: a person following the README finds every account."""

import re
from pathlib import Path

from steward.demo import login_table

README = Path(__file__).parents[2] / "README.md"


def _readme_logins() -> set[str]:
    section = README.read_text(encoding="utf-8").split("### Demo logins", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|")[1] for line in section.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`([a-z.]+)`", row)}


def test_the_demo_prints_every_login_the_readme_names():
    printed = {line.split()[0] for line in login_table().splitlines()[2:-1]}
    assert "cement.signatory" in printed  # it signs the demo's annual report, and was missing from the list
    assert _readme_logins() == printed
