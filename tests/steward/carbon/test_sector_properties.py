"""Property layer over the reporting-only sector methods (Hypothesis, no database: the shipped factor files):
arbitrary, near-valid sector blocks raise only the product's own refusal in the house shape, and an accepted
request never has negative direct emissions."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from steward.carbon.sector_request import CARBONATES
from tests.steward.carbon.test_edge_properties import json_like, quantity_like, refusal_or_result

SETTINGS = settings(max_examples=80, deadline=None, derandomize=True, database=None)

fraction_like = st.sampled_from(["0", "0.5", "1", "1.0001", "-0.1", "1e400", "NaN"]) | quantity_like
carbonate = st.fixed_dictionaries(
    {},
    optional={
        "carbonate": st.sampled_from(sorted(CARBONATES)) | json_like,
        "quantity": quantity_like,
        "purity": fraction_like,
        "calcination_fraction": fraction_like,
        "label": json_like,
    },
)
material = st.fixed_dictionaries(
    {},
    optional={
        "material": st.sampled_from(["naphtha", "coal", ""]) | json_like,
        "quantity": quantity_like,
        "carbon_content": fraction_like,
        "kind": st.sampled_from(["product", "waste", "steam"]) | json_like,
        "label": json_like,
    },
)
n2o = st.fixed_dictionaries(
    {},
    optional={
        "production": quantity_like,
        "n2o_factor": quantity_like,
        "abatement_efficiency": fraction_like,
        "abatement_use": fraction_like,
    },
)
wastewater = st.fixed_dictionaries(
    {},
    optional={
        key: quantity_like
        if key in {"volume", "cod_in", "cod_out", "sludge_cod", "ch4_recovered"}
        else fraction_like
        for key in ("volume", "cod_in", "cod_out", "sludge_cod", "ch4_recovered", "b0", "mcf")
    },
)
items = lambda strategy: st.lists(strategy, max_size=3) | json_like  # noqa: E731
BLOCKS = {
    "cn_flat_glass": (
        "glass",
        st.fixed_dictionaries(
            {},
            optional={
                "carbonates": items(carbonate),
                "carbon_powder": st.fixed_dictionaries(
                    {}, optional={"quantity": quantity_like, "carbon_content": fraction_like}
                )
                | json_like,
            },
        ),
    ),
    "cn_chemicals": (
        "chemicals",
        st.fixed_dictionaries(
            {},
            optional={
                "inputs": items(material),
                "outputs": items(material),
                "carbonates": items(carbonate),
                "nitric_acid": items(n2o),
                "adipic_acid": items(n2o),
            },
        ),
    ),
    "cn_paper": (
        "paper",
        st.fixed_dictionaries(
            {}, optional={"carbonates": items(carbonate), "wastewater": wastewater | json_like}
        ),
    ),
}


def sector_request(methodology: str):
    block, strategy = BLOCKS[methodology]
    return st.fixed_dictionaries(
        {"methodology": st.just(methodology), "period": st.just({"year": 2024, "month": 5}), block: strategy},
        optional={
            "purchased_electricity": quantity_like,
            "purchased_heat": quantity_like,
            "glass" if block != "glass" else "paper": json_like,
        },
    )


def check(data) -> None:
    result = refusal_or_result(data)
    if result is not None:
        assert Decimal(result["direct_tco2"]) >= 0
        parts = Decimal(result["direct_tco2"]) + Decimal(result["indirect_tco2"])
        assert abs(Decimal(result["total_tco2"]) - parts) <= Decimal("0.01")  # each rounded on its own


@SETTINGS
@given(sector_request("cn_flat_glass"))
def test_glass_inputs_are_computed_or_refused(data):
    check(data)


@SETTINGS
@given(sector_request("cn_chemicals"))
def test_chemicals_inputs_are_computed_or_refused(data):
    check(data)


@SETTINGS
@given(sector_request("cn_paper"))
def test_paper_inputs_are_computed_or_refused(data):
    check(data)


def test_every_traced_value_of_the_sector_methods_has_a_chinese_label():
    from steward.carbon.calculator import calculate
    from steward.carbon.labels import INPUT_LABELS, methodology_label
    from tests.steward.carbon.test_edge_properties import FACTORS
    from tests.steward.carbon.test_sector_chemicals import CHEMICALS
    from tests.steward.carbon.test_sector_glass import GLASS
    from tests.steward.carbon.test_sector_paper import PAPER

    names = set()
    for methodology, block, body in (
        ("cn_flat_glass", "glass", GLASS),
        ("cn_chemicals", "chemicals", CHEMICALS),
        ("cn_paper", "paper", PAPER),
    ):
        result = calculate({"methodology": methodology, "period": {"year": 2024}, block: body}, FACTORS)
        names |= {value["name"] for line in result["lines"] for value in line["inputs"]}
    assert names - set(INPUT_LABELS) == set()
    assert methodology_label("cn_flat_glass") == "平板玻璃生产（GB/T 32151.7-2015）"
    assert methodology_label("cn_chemicals") == "化工生产（GB/T 32151.10-2015）"
    assert methodology_label("cn_paper") == "造纸和纸制品生产（造纸行业核算指南（2015，试行））"
