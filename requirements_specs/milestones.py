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
    """Every active offering has cost figures in the cycle, and every offering flagged below the
    margin threshold has a continue/improve/discontinue decision recorded in the cycle."""
    return offerings_missing_value_contribution(cycle)
