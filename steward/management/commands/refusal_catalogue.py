"""`python3 manage.py refusal_catalogue [--write]`: the catalogue of refusal codes per domain (docs/refusals.md).

Every refusal the product raises carries a code (`ValidationError(message, code="…")`, a
`{"code": …, "message": …}` item, `parser.fail(path, code, message)`), so pages, the API and clients can act on
it. The catalogue is read from the source, not written by hand: each literal code in steward/, tenants/ and
workflows/ gives one row (domain, code, message, where). A test compares docs/refusals.md with this output, so a new code cannot be left out.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

SCANNED = ("steward", "tenants", "workflows")
SKIPPED_PARTS = {"migrations", "management", "demo"}
CATALOGUE = Path("docs") / "refusals.md"


@dataclass(frozen=True, order=True)
class Refusal:
    domain: str
    code: str
    message: str
    where: str


def _domain(path: Path) -> str:
    parts = path.parts
    if parts[0] == "steward" and len(parts) > 2:
        return f"steward.{parts[1]}"
    return parts[0] if parts[0] != "steward" else "steward"


def _message(call: ast.Call) -> str:
    """The first literal text among the call's arguments, through gettext wrappers (`_("…")`)."""
    texts = [
        *call.args,
        *(keyword.value for keyword in call.keywords if keyword.arg not in ("code", "params")),
    ]
    for node in texts:
        keys = {id(key) for inner in ast.walk(node) if isinstance(inner, ast.Dict) for key in inner.keys}
        for inner in ast.walk(node):  # the first text that is not a field name ({"reason": _("…")})
            if id(inner) in keys:
                continue
            if isinstance(inner, ast.Constant) and isinstance(inner.value, str) and inner.value.strip():
                return " ".join(inner.value.split())
    return ""


def scan(root: Path) -> list[Refusal]:
    found: dict[tuple[str, str], Refusal] = {}
    for package in SCANNED:
        for path in sorted((root / package).rglob("*.py")):
            relative = path.relative_to(root)
            if SKIPPED_PARTS & set(relative.parts):
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for item in (node for node in ast.walk(tree) if isinstance(node, ast.Dict)):
                # {"code": "…", "message": …}: a refusal written in the API's own shape
                fields = {
                    k.value: v
                    for k, v in zip(item.keys, item.values, strict=True)
                    if isinstance(k, ast.Constant)
                }
                code, message = fields.get("code"), fields.get("message")
                if isinstance(code, ast.Constant) and isinstance(code.value, str) and message is not None:
                    text = message.value if isinstance(message, ast.Constant) else ""
                    _add(
                        found, Refusal(_domain(relative), code.value, str(text), f"{relative}:{item.lineno}")
                    )
            for call in (node for node in ast.walk(tree) if isinstance(node, ast.Call)):
                if (
                    isinstance(call.func, ast.Attribute)
                    and call.func.attr == "fail"
                    and len(call.args) >= 3
                    and all(isinstance(arg, ast.Constant) for arg in call.args[1:3])
                ):  # parser.fail(path, code, message)
                    code, message = call.args[1].value, call.args[2].value
                    _add(found, Refusal(_domain(relative), code, message, f"{relative}:{call.lineno}"))
                code_node = next(
                    (
                        keyword.value
                        for keyword in call.keywords
                        if keyword.arg == "code"
                        and isinstance(keyword.value, ast.Constant)
                        and isinstance(keyword.value.value, str)
                    ),
                    None,
                )
                if code_node is None:
                    continue
                refusal = Refusal(
                    _domain(relative), code_node.value, _message(call), f"{relative}:{call.lineno}"
                )
                _add(found, refusal)
    return sorted(found.values())


def _add(found: dict[tuple[str, str], Refusal], refusal: Refusal) -> None:
    """The first place a code is raised, preferring one that states its message."""
    known = found.get((refusal.domain, refusal.code))
    if known is None or (not known.message and refusal.message):
        found[(refusal.domain, refusal.code)] = refusal


def render(refusals: list[Refusal]) -> str:
    lines = [
        "# Refusal codes",
        "",
        "Every refusal carries a code beside its Chinese message: the API answers `{field: [{code, message}]}`,",
        "pages show the message next to the field. This catalogue is generated from the source",
        "(`python3 manage.py refusal_catalogue --write`); a test fails when it is out of date. The message is the",
        "first one the code is raised with; several places may raise the same code.",
        "",
    ]
    domain = None
    for refusal in refusals:
        if refusal.domain != domain:
            domain = refusal.domain
            lines += ["", f"## `{domain}`", "", "| code | message | first raised in |", "|---|---|---|"]
        message = refusal.message.replace("|", "\\|")
        lines.append(f"| `{refusal.code}` | {message} | `{refusal.where.split(':')[0]}` |")
    return "\n".join(lines).replace("\n\n\n", "\n\n") + "\n"


class Command(BaseCommand):
    help = "Print (or --write) the refusal-code catalogue, docs/refusals.md."

    def add_arguments(self, parser):
        parser.add_argument("--write", action="store_true", help="write docs/refusals.md")

    def handle(self, *args, write: bool = False, **options):
        text = render(scan(Path(settings.BASE_DIR)))
        if write:
            (Path(settings.BASE_DIR) / CATALOGUE).write_text(text, encoding="utf-8")
            self.stdout.write(f"wrote {CATALOGUE}")
        else:
            self.stdout.write(text, ending="")
