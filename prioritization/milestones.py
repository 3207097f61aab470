"""The completion rule of milestone 1 (20 %): Task 3.2.1 done for the cycle."""

from oe21.milestones import completion_rule

from .models import Criterion
from .selectors import matrix_rows, offerings_without_complete_assessment


@completion_rule(1)
def prioritization_done(cycle) -> list[str]:
    """Every active offering has a complete assessment in the cycle, and every high-value
    target (top quartile by score) has been reviewed."""
    if not Criterion.objects.filter(is_active=True).exists():
        return ["No active prioritization criteria: an admin must define them."]
    _, rows = matrix_rows(cycle)
    missing = [f"Offering “{o.name}” has no complete prioritization assessment in {cycle}."
               for o in offerings_without_complete_assessment(cycle, rows)]
    missing += [f"High-value target “{row.assessment.account}” ({row.assessment.offering}) "
                f"has not been reviewed." for row in rows
                if row.high_value and row.assessment.reviewed_at is None]
    return missing
