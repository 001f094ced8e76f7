"""The schematic district map's data for charts.js (frontend/static/frontend/maps/, 示意图): shared by the bureau
dashboard (emissions, on-time rate and grade of the workspaces) and the register page (速算 and grade of every
register enterprise)."""

from __future__ import annotations

from django.templatetags.static import static
from django.utils.translation import gettext as _

from steward import formatting
from steward.compliance.grading import GRADE_COLOURS

MEASURES = ("tco2", "on_time", "grade")


def _number(value) -> float | None:
    return None if value is None else float(value)


MAP_COLOURS = {
    "tco2": ["#fef3c7", "#f59e0b", "#b91c1c"],  # more emissions, darker
    "on_time": ["#dc2626", "#facc15", "#16a34a"],  # red (none on time) to green (all on time)
    "grade": [colour for _name, colour in GRADE_COLOURS.values()],  # the 碳效码's own colours, 1 to 5
}


def map_chart(
    rows: list[dict], *, selected: str, codes: set[str], measures=MEASURES, labels: dict | None = None
) -> dict:
    """What charts.js needs for the schematic district map: per measure the numbers that pick a tile's colour
    and the texts its tooltip shows (formatted here, by steward/formatting.py, as in the tables).

    `rows`: one per district, with `jurisdiction_id`, `tco2`, `on_time_rate` (with `due_on_time` and `due`)
    and `grades` (`steward.oversight.district_map.DistrictGrades`); `measures`: those the map offers, in order;
    `labels`: a measure's name where the page calls it otherwise (速算排放量)."""
    tco2 = {row["jurisdiction_id"]: row["tco2"] for row in rows if row["tco2"] is not None}
    top = max(tco2.values(), default=None)
    on_time = {row["jurisdiction_id"]: row for row in rows if row.get("on_time_rate") is not None}
    graded = {row["jurisdiction_id"]: row["grades"] for row in rows if row["grades"].enterprises}
    shades = {
        "tco2": {
            "label": _("排放量"),
            "values": {code: _number(value) for code, value in tco2.items()},
            "texts": {code: formatting.wan_tonnes(value) for code, value in tco2.items()},
            "range": [0, _number(top) if top else 1],
            "range_texts": [formatting.wan_tonnes(0), formatting.wan_tonnes(top) if top else "—"],
        },
        "on_time": {
            "label": _("按时报送率"),
            "values": {code: _number(row["on_time_rate"] * 100) for code, row in on_time.items()},
            "texts": {
                code: f"{formatting.percent(row['on_time_rate'])} ({row['due_on_time']}/{row['due']})"
                for code, row in on_time.items()
            },
            "range": [0, 100],
            "range_texts": [formatting.percent(0), formatting.percent(1)],
        },
        "grade": {
            "label": _("碳效等级"),
            "values": {code: _number(grades.mean) for code, grades in graded.items()},
            "texts": {
                code: _("平均 %(grade)s 级（%(count)s 家）")
                % {"grade": grades.mean_text, "count": grades.enterprises}
                for code, grades in graded.items()
            },
            "range": [1, 5],
            "range_texts": [_("1级（低碳）"), _("5级（高碳）")],
        },
    }
    offered = {key: shades[key] for key in measures}
    for key, measure in offered.items():
        measure["colours"] = MAP_COLOURS[key]
        measure["label"] = (labels or {}).get(key, measure["label"])
    return {
        "geojson": static("frontend/maps/huzhou-schematic.geojson"),
        "selected": selected,
        "clickable": sorted(codes),
        "measures": offered,
        "no_data": _("暂无数据"),
        "outside": _("不在当前筛选范围"),
        "schematic": _("示意图"),
    }
