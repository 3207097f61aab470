"""The completion rule of milestone 7 (100 %): measures selected and a monthly review held."""

from django.db.models import Exists
from django.urls import reverse

from oe21.milestones import Missing, completion_rule
from oe21.models import EngagementCycle

from .choices import MeasureKind
from .models import Measure, ReviewMeeting


@completion_rule(7)
def metrics_reviews_under_way(cycle) -> list[str]:
    """At least one KRI and one KRD selected, and a monthly review held in the cycle (one query)."""
    kinds = (MeasureKind.KRI, MeasureKind.KRD)
    facts = {kind: Exists(Measure.objects.filter(is_selected=True, kind=kind)) for kind in kinds}
    facts["held"] = Exists(ReviewMeeting.objects.filter(cycle=cycle, held_on__gte=cycle.starts_on,
                                                        held_on__lte=cycle.ends_on))
    found = EngagementCycle.objects.filter(pk=cycle.pk).annotate(**facts).values(*facts).first() or {}
    missing = [Missing(f"No {kind} is selected for the monthly review.", reverse("metrics:measure_list"))
               for kind in kinds if not found.get(kind)]
    if not found.get("held"):
        missing.append(Missing(f"No monthly review has been held in {cycle} yet.", reverse("metrics:dashboard")))
    return missing
