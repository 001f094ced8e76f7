#!/usr/bin/env python3
"""Refresh the vendored front-end libraries from the npm registry.

The product serves these files itself (no CDN at run time). Each package is pinned below; the script runs
`npm pack NAME@VERSION` (the ordinary client, whatever registry npm is configured for), copies the listed
files and the licences into `frontend/static/vendor/<dir>/`, and writes `MANIFEST.json` with each file's
SHA-256 and the tarball's integrity, which tests/frontend/test_vendor.py checks.

    python3 deploy/vendor_static.py            # fetch the pins below and rewrite the vendored files
    python3 deploy/vendor_static.py --check    # only compare the files on disk with MANIFEST.json

To upgrade a library: change its version here, run the script, look at the pages, commit the result.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "frontend" / "static" / "vendor"
MANIFEST = VENDOR / "MANIFEST.json"

# package: (version, directory under vendor/, {path in the tarball: path under the directory})
PINS: dict[str, tuple[str, str, dict[str, str]]] = {
    "bootstrap": (
        "5.3.8",
        "bootstrap",
        {
            "package/dist/css/bootstrap.min.css": "bootstrap.min.css",
            "package/dist/js/bootstrap.bundle.min.js": "bootstrap.bundle.min.js",
            "package/LICENSE": "LICENSE",
        },
    ),
    "bootstrap-icons": (
        "1.13.1",
        "bootstrap-icons",
        {
            "package/font/bootstrap-icons.min.css": "bootstrap-icons.min.css",
            "package/font/fonts/bootstrap-icons.woff2": "fonts/bootstrap-icons.woff2",
            "package/font/fonts/bootstrap-icons.woff": "fonts/bootstrap-icons.woff",
            "package/LICENSE": "LICENSE",
        },
    ),
    "htmx.org": (
        "2.0.8",
        "htmx",
        {"package/dist/htmx.min.js": "htmx.min.js", "package/LICENSE": "LICENSE"},
    ),
    "echarts": (
        "5.6.0",
        "echarts",
        {
            "package/dist/echarts.min.js": "echarts.min.js",
            "package/LICENSE": "LICENSE",
            "package/licenses/LICENSE-d3": "LICENSE-d3",
        },
    ),
    # Used by the browser tests only (accessibility checks); never loaded by a page.
    "axe-core": (
        "4.10.3",
        "axe-core",
        {
            "package/axe.min.js": "axe.min.js",
            "package/LICENSE": "LICENSE",
            "package/LICENSE-3RD-PARTY.txt": "LICENSE-3RD-PARTY.txt",
        },
    ),
}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fetch(package: str, version: str, workdir: Path) -> tuple[Path, str]:
    result = subprocess.run(
        ["npm", "pack", f"{package}@{version}", "--json", "--pack-destination", str(workdir)],
        check=True,
        capture_output=True,
        text=True,
    )
    info = json.loads(result.stdout)[0]
    return workdir / info["filename"], info["integrity"]


def refresh() -> dict:
    manifest: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        for package, (version, directory, files) in PINS.items():
            tarball, integrity = fetch(package, version, workdir)
            target = VENDOR / directory
            shutil.rmtree(target, ignore_errors=True)
            with tarfile.open(tarball) as archive:
                for member_name, relative in files.items():
                    source = archive.extractfile(member_name)
                    if source is None:
                        raise SystemExit(f"{package}@{version}: {member_name} missing from the tarball")
                    destination = target / relative
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    destination.write_bytes(source.read())
            manifest[package] = {
                "version": version,
                "directory": directory,
                "integrity": integrity,
                "files": {relative: sha256(target / relative) for relative in files.values()},
            }
            print(f"{package}@{version} -> frontend/static/vendor/{directory}/")
    MANIFEST.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return manifest


def check() -> list[str]:
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    problems = []
    for package, (version, directory, _files) in PINS.items():
        entry = manifest.get(package)
        if entry is None or entry["version"] != version:
            problems.append(f"{package}: pinned {version}, manifest has {entry and entry['version']}")
            continue
        for relative, digest in entry["files"].items():
            path = VENDOR / directory / relative
            if not path.exists() or sha256(path) != digest:
                problems.append(f"{package}: {relative} differs from the manifest")
    return problems


if __name__ == "__main__":
    if "--check" in sys.argv:
        problems = check()
        print("\n".join(problems) or "vendored files match MANIFEST.json")
        sys.exit(1 if problems else 0)
    refresh()
