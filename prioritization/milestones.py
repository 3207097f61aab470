"""The completion rule of milestone 1 (20 %): Task 3.2.1 done for the cycle."""

from oe21.milestones import completion_rule

from .models import Criterion
from .selectors import offerings_without_complete_assessment


@completion_rule(1)
def prioritization_done(cycle) -> list[str]:
    """Every active offering has at least one complete assessment in the cycle."""
    if not Criterion.objects.filter(is_active=True).exists():
        return ["No active prioritization criteria: an admin must define them."]
    return [f"Offering “{o.name}” has no complete prioritization assessment in {cycle}."
            for o in offerings_without_complete_assessment(cycle)]
