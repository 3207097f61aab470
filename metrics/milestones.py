"""The completion rule of milestone 7 (100 %): measures selected and a monthly review held."""

from oe21.milestones import completion_rule

from .choices import MeasureKind
from .models import Measure, ReviewMeeting


@completion_rule(7)
def metrics_reviews_under_way(cycle) -> list[str]:
    """At least one KRI and one KRD selected, and a monthly review held in the cycle."""
    missing = []
    kinds = set(Measure.objects.filter(is_selected=True).values_list("kind", flat=True))
    for kind in (MeasureKind.KRI, MeasureKind.KRD):
        if kind not in kinds:
            missing.append(f"No {kind} is selected for the monthly review.")
    if not ReviewMeeting.objects.filter(cycle=cycle, held_on__gte=cycle.starts_on,
                                        held_on__lte=cycle.ends_on).exists():
        missing.append(f"No monthly review has been held in {cycle} yet.")
    return missing
