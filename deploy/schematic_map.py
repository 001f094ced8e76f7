#!/usr/bin/env python3
"""Write the bureau dashboard's schematic map of Huzhou (示意图) as GeoJSON, from the hand-placed tiles below.

No surveyed boundary is used: no county-level geometry of Huzhou with a clear source and an open licence was
found among the packages this project can install (see frontend/static/frontend/maps/SOURCE.md). Each
district or county is a hexagon placed by hand in its rough position relative to the others (north up); the
functional zones are smaller hexagons beside them. The tiles are this project's own work (AGPL-3.0-or-later,
like the rest of it) and say nothing about where a boundary runs: the page labels the map 示意图.

    python3 deploy/schematic_map.py            # rewrite frontend/static/frontend/maps/huzhou-schematic.geojson
    python3 deploy/schematic_map.py --check    # only compare the file on disk with what this script writes

Codes and names come from tenants/data/huzhou_jurisdictions.csv, so the map and the jurisdiction tree agree
(tests/frontend/oversight/test_city_map_page.py checks both).
"""

from __future__ import annotations

import csv
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JURISDICTIONS = ROOT / "tenants" / "data" / "huzhou_jurisdictions.csv"
OUTPUT = ROOT / "frontend" / "static" / "frontend" / "maps" / "huzhou-schematic.geojson"

ROW = 1.5  # pointy-top hexagons of radius 1: rows 1.5 apart, neighbours in a row √3 apart
STEP = math.sqrt(3)

# code: (centre x, centre y, radius). North up, east right; rough relative positions only:
#   长兴 in the north-west along Lake Tai, 吴兴 (the city proper) south-east of it, 南浔 east of 吴兴,
#   安吉 in the south-west, 德清 south of 吴兴 and east of 安吉. 南太湖新区 lies in the north of 吴兴 on the
#   lake shore; the position of 长合区 is not claimed: it stands apart at the east end of the top row.
TILES: dict[str, tuple[float, float, float]] = {
    "330522": (0.0, 0.0, 1.0),  # 长兴县
    "330523": (-STEP / 2, -ROW, 1.0),  # 安吉县
    "330502": (STEP / 2, -ROW, 1.0),  # 吴兴区
    "330503": (STEP * 1.5, -ROW, 1.0),  # 南浔区
    "330521": (0.0, -2 * ROW, 1.0),  # 德清县
    "NTH": (STEP, 0.0, 0.62),  # 南太湖新区 (functional zone)
    "CHQ": (STEP * 2.2, 0.0, 0.62),  # 长合区 (functional zone, placed apart)
}


# Labels drawn on the tiles where the full name does not fit (the tooltip and the tables keep the full name).
SHORT = {"NTH": "南太湖\n新区", "CHQ": "长合区"}


def hexagon(x: float, y: float, radius: float) -> list[list[float]]:
    """A closed ring, counter-clockwise (RFC 7946), pointy top."""
    ring = []
    for corner in range(6):
        angle = math.radians(90 + 60 * corner)
        ring.append([round(x + radius * math.cos(angle), 4), round(y + radius * math.sin(angle), 4)])
    ring.append(ring[0])
    return ring


def jurisdictions() -> dict[str, dict]:
    lines = [
        line for line in JURISDICTIONS.read_text(encoding="utf-8").splitlines() if not line.startswith("#")
    ]
    return {row["code"]: row for row in csv.DictReader(lines)}


def build() -> dict:
    known = jurisdictions()
    features = []
    for code, (x, y, radius) in TILES.items():
        row = known[code]
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "code": code,
                    "name": row["name_zh"],
                    "label": SHORT.get(code, row["name_zh"]),
                    "kind": row["kind"],
                },
                "geometry": {"type": "Polygon", "coordinates": [hexagon(x, y, radius)]},
            }
        )
    return {
        "type": "FeatureCollection",
        "title": "湖州市区县示意图（非标准地图，不表示行政区域界线）",
        "license": "AGPL-3.0-or-later",
        "generator": "deploy/schematic_map.py",
        "features": features,
    }


def text() -> str:
    return json.dumps(build(), ensure_ascii=False, separators=(",", ":")) + "\n"


def check() -> list[str]:
    if not OUTPUT.exists():
        return [f"{OUTPUT.relative_to(ROOT)} is missing"]
    if OUTPUT.read_text(encoding="utf-8") != text():
        return [f"{OUTPUT.relative_to(ROOT)} differs from what deploy/schematic_map.py writes"]
    return []


if __name__ == "__main__":
    if "--check" in sys.argv:
        problems = check()
        print("\n".join(problems) or "schematic map matches deploy/schematic_map.py")
        sys.exit(1 if problems else 0)
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(text(), encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)} ({OUTPUT.stat().st_size} bytes)")
