"""Completion rules of milestones 5 (80 %) and 6 (90 %)."""

from oe21.choices import OfferingStatus
from oe21.milestones import completion_rule
from oe21.models import Offering

from .selectors import offerings_missing_information, portfolio


@completion_rule(5)
def offering_information_ready(cycle) -> list[str]:
    """Every active offering has an approved requirements specification and at least one
    offering information document (Tasks 3.2.4–3.2.5)."""
    return offerings_missing_information()


@completion_rule(6)
def value_contribution_ready(cycle) -> list[str]:
    """Every active offering has cost figures in the cycle, and every offering flagged below the
    margin threshold has a continue/improve/discontinue decision recorded in the cycle."""
    rows = portfolio(period_from=cycle.starts_on, period_to=cycle.ends_on)
    with_costs = {row.offering.pk for row in rows}
    missing = [f"Offering “{o.name}” has no costs and revenue recorded in {cycle}."
               for o in Offering.objects.filter(status=OfferingStatus.ACTIVE) if o.pk not in with_costs]
    for row in rows:
        decided_in_cycle = row.decision and cycle.starts_on <= row.decision.created_at.date() <= cycle.ends_on
        if row.flagged and not decided_in_cycle:
            missing.append(f"Offering “{row.offering.name}” is below the margin threshold and needs the LFT "
                           "chair's continue/discontinue decision.")
    return missing
