"""The completion rule of milestone 1 (20 %): Task 3.2.1 done for the cycle."""

from django.db.models import Count, Window
from django.urls import reverse

from oe21.milestones import Missing, completion_rule

from .models import Criterion
from .selectors import high_value_unreviewed, offerings_without_complete_assessment

SHOWN = 20  # of each kind of missing item; the rest are counted


@completion_rule(1)
def prioritization_done(cycle) -> list[str]:
    """Every active offering has a complete assessment in the cycle, and every high-value
    target (top quartile by score) has been reviewed. Set-based: a bounded number of queries,
    none of which loads the matrix."""
    active = Criterion.objects.filter(is_active=True).count()
    if not active:
        return [Missing("No active prioritization criteria: an admin must define them.",
                        reverse("admin:prioritization_criterion_changelist"))]
    reviews = _first(high_value_unreviewed(cycle), "high-value targets not reviewed",
                     lambda a: Missing(f"High-value target “{a.account}” ({a.offering}) has not been reviewed.",
                                       a.get_absolute_url()))
    together = [Missing("Review the high-value targets together (one click marks those shown reviewed).",
                        reverse("prioritization:matrix") + "?to_review=on")] if reviews else []
    return (_first(offerings_without_complete_assessment(cycle, active), "offerings without a complete assessment",
                   lambda o: Missing(f"Offering “{o.name}” has no complete prioritization assessment in {cycle}.",
                                     reverse("prioritization:grid") + f"?offering={o.pk}"))
            + together + reviews)


def _first(queryset, what: str, message) -> list[str]:
    """The first SHOWN items' messages, and how many more there are: one query (the total is a
    window over the same rows)."""
    items = list(queryset.annotate(total=Window(Count("pk")))[:SHOWN])
    total = items[0].total if items else 0
    return [message(item) for item in items] + ([f"… and {total - SHOWN:,} more {what}."] if total > SHOWN else [])
