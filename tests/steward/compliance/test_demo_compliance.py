"""The demo world's compliance figures: what a visitor sees on the power plant's pages."""

import pytest

from steward.demo.compliance import load_demo_compliance
from steward.demo.period import last_month

pytestmark = pytest.mark.django_db


def test_demo_power_plant_shows_its_allocation_locked_months_and_badge(user_client):
    load_demo_compliance()
    load_demo_compliance()  # twice changes nothing
    year, last = last_month()
    client = user_client("power.admin")
    body = client.get(f"/e/cx-power/api/v1/compliance/{year}/").json()
    # 0.877 (2019–20 benchmark, to verify) × 4,200,000 MWh × 1 × 1 = 3,683,400
    assert body["allocation"]["allocated_t"] == "3683400" and body["allocation"]["version"] == 1
    assert body["allocation"]["benchmark_status"] == "to_verify"
    assert len(body["emissions"]["months"]) == max(0, last - 2)
    page = client.get(f"/e/cx-power/carbon-efficiency/{year}/").content.decode()
    if last > 2:
        assert 'data-testid="efficiency-badge"' in page and body["carbon_efficiency"]["grade"] in range(1, 6)
        assert body["forecast"]["method"] == "run_rate"  # no locked months last year
    assert "演示数据" in page  # the industry average's source says it is a demo value
