"""The completion rule of milestone 1 (20 %), as SPEC §9 states it."""

from django.urls import reverse

from oe21.milestones import Missing, completion_rule, first_missing

from .selectors import high_value_unreviewed, matrix_counts, offerings_short_of_assessments


@completion_rule(1)
def prioritization_done(cycle) -> list[str]:
    """SPEC §9, 20 %: every active offering has at least the organisation's number of complete
    assessments (default 5) with the respondent's details filled in, and every high-value target
    (top quartile by score) has been reviewed. Set-based: a bounded number of queries, none of
    which loads the matrix."""
    active, _, minimum = matrix_counts(cycle)
    if not active:
        return [Missing("No active prioritization criteria: an admin must define them.",
                        reverse("admin:prioritization_criterion_changelist"))]
    reviews = first_missing(high_value_unreviewed(cycle), "high-value targets not reviewed",
                     lambda a: Missing(f"High-value target “{a.account}” ({a.offering}) has not been reviewed.",
                                       a.get_absolute_url()))
    together = [Missing("Review the high-value targets together (one click marks those shown reviewed).",
                        reverse("prioritization:matrix") + "?to_review=on")] if reviews else []
    return (first_missing(offerings_short_of_assessments(cycle, active, minimum), "offerings short of assessments",
                   lambda o: _short_of_assessments(o, cycle, minimum))
            + together + reviews)


def _short_of_assessments(offering, cycle, minimum: int) -> Missing:
    name, complete, lacking = offering.name, offering.complete, offering.without_respondent
    texts = []
    if not complete:
        texts.append(f"Offering “{name}” has no complete prioritization assessment in {cycle}.")
    elif complete < minimum:
        plural = "s" if complete > 1 else ""
        texts.append(f"Offering “{name}” has {complete} complete prioritization assessment{plural} of customers "
                     f"and prospects in {cycle}; at least {minimum} are asked.")
    if lacking:
        verb = "s lack" if lacking > 1 else " lacks"
        texts.append(("" if texts else f"Offering “{name}”: ")
                     + f"{lacking} assessment{verb} the respondent's role or age group.")
    return Missing(" ".join(texts), reverse("prioritization:grid") + f"?offering={offering.pk}")
