"""The rule pack. Importing this package registers every rule (one module per category)."""

from steward.quality.rules import (  # noqa: F401
    cement,
    completeness,
    consistency,
    evidence,
    method,
    plausibility,
    timeliness,
)

RULE_PACK_VERSION = (
    "HZ-DQ-2026.3"  # .3: the cement plant's monthly parameter set (DQ-C09–C14, K06–K08, P10–P14)
)
