"""Allocation formula and the compliance position, with the arithmetic written out."""

from decimal import Decimal as D

from steward.compliance.allocation import AllocationInput, CorrectionFactor, allocate
from steward.compliance.position import PolicyRule, compliance_position

RULE_20 = PolicyRule(
    year=2020, deficit_cap_share=D("0.20"), gas_capped_at_allocation=True, ccer_cap_share=D("0.05")
)
NO_CAP = PolicyRule(
    year=2030, deficit_cap_share=None, gas_capped_at_allocation=False, ccer_cap_share=D("0.05")
)


def test_allocation_is_benchmark_times_output_times_corrections_plus_heat():
    result = allocate(
        AllocationInput(
            benchmark=D("0.877"),
            output_mwh=D("3300000"),
            heat_benchmark=D("0.126"),
            heat_supplied_gj=D("120000"),
            corrections=(
                CorrectionFactor("冷却方式修正系数", D("1")),
                CorrectionFactor("负荷系数", D("0.995")),
            ),
        )
    )
    # 0.877 × 3,300,000 × (1 × 0.995) = 2,879,629.5; 0.126 × 120,000 = 15,120; sum 2,894,749.5 → 2,894,750
    assert result.electricity_part_t == D("2879629.5")
    assert result.heat_part_t == D("15120")
    assert result.allocated_t == D("2894750")
    assert [step["value"] for step in result.trace] == ["0.995", "2879629.5", "15120", "2894750"]
    assert "0.877 tCO2/MWh × 3300000 MWh × 0.995" in result.trace[1]["expression"]


def test_deficit_within_the_cap_is_owed_in_full():
    p = compliance_position(
        allocated=D("900000"), carried_in=D("0"), verified=D("1000000"), rule=RULE_20, is_gas_unit=False
    )
    # allocated 900,000 + carried 0 − verified 1,000,000 = −100,000; cap 900,000 + 20% × 1,000,000 = 1,100,000
    assert p.surplus == D("-100000") and p.is_deficit
    assert p.obligation == D("1000000") and not p.deficit_cap_applied and p.relief == 0
    assert p.to_acquire == D("100000")
    assert p.ccer_cap == D("50000.00")  # 5% × 1,000,000


def test_deficit_beyond_twenty_percent_is_capped():
    p = compliance_position(
        allocated=D("700000"), carried_in=D("0"), verified=D("1000000"), rule=RULE_20, is_gas_unit=False
    )
    # 700,000 − 1,000,000 = −300,000 (30% of verified); obligation = min(1,000,000, 700,000 + 200,000) = 900,000
    assert p.surplus == D("-300000")
    assert p.obligation == D("900000.00") and p.deficit_cap_applied and p.relief == D("100000")
    assert p.to_acquire == D("200000")
    assert p.ccer_cap == D("45000")  # 5% × 900,000


def test_the_same_deficit_without_a_cap_rule_is_owed_in_full():
    p = compliance_position(
        allocated=D("700000"), carried_in=D("0"), verified=D("1000000"), rule=NO_CAP, is_gas_unit=False
    )
    assert p.obligation == D("1000000") and not p.deficit_cap_applied and p.to_acquire == D("300000")


def test_gas_unit_surrenders_at_most_its_free_allocation():
    p = compliance_position(
        allocated=D("80000"), carried_in=D("0"), verified=D("100000"), rule=RULE_20, is_gas_unit=True
    )
    # 20% cap: min(100,000, 80,000 + 20,000) = 100,000, no relief; gas: min(100,000, 80,000) = 80,000
    assert not p.deficit_cap_applied and p.gas_cap_applied
    assert p.obligation == D("80000") and p.relief == D("20000") and p.to_acquire == 0
    assert p.ccer_cap == D("4000")


def test_surplus_with_carried_in_allowances():
    p = compliance_position(
        allocated=D("1050000"), carried_in=D("20000"), verified=D("1000000"), rule=RULE_20, is_gas_unit=False
    )
    # 1,050,000 + 20,000 − 1,000,000 = +70,000
    assert p.surplus == D("70000") and not p.is_deficit
    assert p.obligation == D("1000000") and p.to_acquire == 0
    assert p.remaining_after_surrender == D("70000")
    assert p.steps[0]["expression"] == "1050000 + 20000 − 1000000"
