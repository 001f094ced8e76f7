"""The methodologies, each a versioned module with ID, VERSION, TITLE and compute(request, factors)."""

from steward.carbon.methods import aluminium, cement, gbt32150, power_2022, steel

METHODOLOGIES = {module.ID: module for module in (power_2022, cement, gbt32150, aluminium, steel)}


def methodology_label(code: str) -> str:
    """A methodology as people read it (cn_cement_clinker → 水泥熟料生产（CETS-AG-02.01-V01-2024）); the code
    itself only for one this platform does not know."""
    module = METHODOLOGIES.get(code)
    if module is None:
        return code
    guideline = module.VERSION.split(" (")[0]
    return f"{module.TITLE}（{guideline}）" if guideline.startswith("CETS-") else module.TITLE
