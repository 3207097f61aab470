"""Completion rules of milestones 5 (80 %) and 6 (90 %)."""

from oe21.milestones import completion_rule

from .selectors import offerings_missing_information, offerings_missing_value_contribution


@completion_rule(5)
def offering_information_ready(cycle) -> list[str]:
    """Every active offering has its requirements specification approved, and an offering
    information document uploaded, in the cycle — or both re-confirmed "reviewed, no change"
    in it (Tasks 3.2.4–3.2.5)."""
    return offerings_missing_information(cycle)


@completion_rule(6)
def value_contribution_ready(cycle) -> list[str]:
    """Every active offering has costs and cycle times in the cycle, and every offering still offered
    a continue/improve/discontinue decision recorded in the cycle (SPEC §9: the standard asks
    leaders to decide on each offering; those below the margin threshold are listed first)."""
    return offerings_missing_value_contribution(cycle)
