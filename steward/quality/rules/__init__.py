"""The rule pack. Importing this package registers every rule (one module per category)."""

from steward.quality.rules import (  # noqa: F401
    cement,
    completeness,
    consistency,
    evidence,
    method,
    plausibility,
    sectors,
    timeliness,
)

# .3: the cement plant's monthly parameter set (DQ-C09–C14, K06–K08, P10–P14); .4: the other sectors' monthly
# parameter sets (steel, aluminium, glass, chemicals, paper: DQ-C15–C16, K09–K15, P15).
RULE_PACK_VERSION = "HZ-DQ-2026.4"
