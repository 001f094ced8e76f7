"""The methodologies, each a versioned module with ID, VERSION, TITLE and compute(request, factors)."""

from steward.carbon.methods import aluminium, cement, chemicals, gbt32150, glass, paper, power_2022, steel

METHODOLOGIES = {
    module.ID: module for module in (power_2022, cement, gbt32150, aluminium, steel, glass, chemicals, paper)
}
