"""The vendored front-end libraries are the pinned ones, byte for byte, each with its licence."""

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_vendor_script():
    spec = importlib.util.spec_from_file_location("vendor_static", ROOT / "deploy" / "vendor_static.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_vendored_files_match_their_pins_and_carry_a_licence():
    vendor = load_vendor_script()
    assert vendor.check() == []
    for _version, directory, files in vendor.PINS.values():
        assert "LICENSE" in files.values(), directory
        assert (vendor.VENDOR / directory / "LICENSE").stat().st_size > 100


def test_no_template_loads_anything_from_another_host():
    remote = re.compile(r"""(src|href)=["'](https?:)?//""")
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "frontend").rglob("*.html")
        if remote.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
