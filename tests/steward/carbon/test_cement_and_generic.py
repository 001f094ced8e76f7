from decimal import Decimal

from steward.carbon.calculator import calculate
from steward.carbon.methods.cement import clinker_process_co2

CLINKER = {
    "output": {"value": "100000", "unit": "t"},
    "cao": {"value": "65", "unit": "%"},
    "mgo": {"value": "2.5", "unit": "%"},
    "cao_noncarbonate": {"value": "1", "unit": "%"},
    "mgo_noncarbonate": {"value": "0", "unit": "%"},
}


def test_clinker_process_formula():
    # 100000 × [(0.65 − 0.01) × 44/56 + (0.025 − 0) × 44/40] = 100000 × (0.502857… + 0.0275) = 53035.71
    value = clinker_process_co2(
        Decimal(100000), Decimal("0.65"), Decimal("0.025"), Decimal("0.01"), Decimal(0)
    )
    assert value.quantize(Decimal("0.01")) == Decimal("53035.71")


def test_cement_month_with_fuel_electricity_and_intensity(factors):
    result = calculate(
        {
            "methodology": "cn_cement_clinker",
            "period": {"year": 2024, "month": 6},
            "fuels": [{"fuel": "bituminous_coal", "consumption": {"value": "12000", "unit": "t"}}],
            "purchased_electricity": {"value": "8000", "unit": "MWh"},
            "clinker": CLINKER,
        },
        factors,
    )
    lines = {line["key"]: line for line in result["lines"]}
    # Coal from the Chinese guideline table: 12000 × 19.570 = 234840; × 0.0261 = 6129.324; × 0.93 = 5700.27132;
    # × 44/12 = 20900.99
    assert lines["fuel[0]"]["tco2"] == "20900.99"
    # Non-power sectors use the latest published national factor, data year 2024 − 2 = 2022: 0.5366
    assert lines["purchased_electricity"]["tco2"] == "4292.80"  # 8000 × 0.5366
    assert lines["clinker_process"]["tco2"] == "53035.71"
    # 20900.9948… + 4292.80 + 53035.7142… = 78229.51 ; / 100000 t = 0.7823 tCO2/t clinker
    assert result["total_tco2"] == "78229.51"
    assert result["intensities"][0]["value"] == "0.7823" and result["intensities"][0]["unit"] == "tCO2/t"


def test_generic_enterprise_with_purchased_heat_default(factors):
    result = calculate(
        {
            "methodology": "gbt32150_generic",
            "period": {"year": 2025, "month": 1},
            "fuels": [{"fuel": "diesel", "consumption": {"value": "10", "unit": "t"}}],
            "purchased_electricity": {"value": "1000", "unit": "MWh"},
            "purchased_heat": {"value": "5000", "unit": "GJ"},
        },
        factors,
    )
    lines = {line["key"]: line for line in result["lines"]}
    # 10 × 42.652 × 0.0202 × 0.98 × 44/12 = 30.96
    assert lines["fuel[0]"]["tco2"] == "30.96"
    assert lines["purchased_electricity"]["tco2"] == "530.60"  # 1000 × 0.5306 (2023 factor for 2025 data)
    heat = lines["purchased_heat"]
    assert heat["tco2"] == "550.00" and heat["inputs"][1]["origin"] == "default"  # 5000 × 0.11
    assert result["total_tco2"] == "1111.56"
