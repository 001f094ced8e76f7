"""When a year's annual report is due: per reporting year, as data (data/deadlines.csv).

The national rule is 31 March of the following year (《碳排放权交易管理办法（试行）》; 环办气候函〔2023〕43号
for 2023–2025). A year not listed in the table falls back to that rule, and says so in its basis.
"""

from __future__ import annotations

import csv
import datetime
import functools
from pathlib import Path

DEADLINES_FILE = Path(__file__).with_name("data") / "deadlines.csv"
DEFAULT_BASIS = "全国碳市场年度排放报告：次年3月31日前报送（未列入期限表的年度按此规则）"


@functools.cache
def _table() -> dict[int, tuple[datetime.date, str]]:
    with DEADLINES_FILE.open(encoding="utf-8") as handle:
        return {
            int(row["year"]): (datetime.date.fromisoformat(row["due_on"]), row["basis"])
            for row in csv.DictReader(handle)
        }


def annual_report_deadline(year: int) -> tuple[datetime.date, str]:
    """The due date of `year`'s report and where it comes from."""
    return _table().get(year, (datetime.date(year + 1, 3, 31), DEFAULT_BASIS))
