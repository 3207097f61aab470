"""Reads of the prioritization matrix."""

from dataclasses import dataclass

from django.db.models import Q

from oe21.choices import OfferingStatus
from oe21.models import EngagementCycle, Offering

from .models import Assessment, Criterion
from .scoring import Score, weighted_score


@dataclass
class MatrixRow:
    assessment: Assessment
    cells: list[int | None]
    score: Score


def criteria_in_use(cycle: EngagementCycle) -> list[Criterion]:
    """Active criteria, plus retired ones that assessments of this cycle still carry."""
    return list(
        Criterion.objects.filter(Q(is_active=True) | Q(ratings__assessment__cycle=cycle)).distinct()
    )


def matrix_rows(cycle: EngagementCycle, assessments=None) -> tuple[list[Criterion], list[MatrixRow]]:
    """Task 3.2.1: the matrix of a cycle ranked by score (highest first)."""
    criteria = criteria_in_use(cycle)
    if assessments is None:
        assessments = Assessment.objects.filter(cycle=cycle)
    assessments = assessments.select_related("account", "offering").prefetch_related("ratings")
    rows = []
    for assessment in assessments:
        by_criterion = {r.criterion_id: r.value for r in assessment.ratings.all()}
        cells = [by_criterion.get(c.pk) for c in criteria]
        applicable = [(c.weight, by_criterion.get(c.pk)) for c in criteria
                      if c.is_active or c.pk in by_criterion]
        rows.append(MatrixRow(assessment, cells, weighted_score(applicable)))
    rows.sort(key=lambda r: (r.score.value is None, -(r.score.value or 0), r.assessment.account.name))
    return criteria, rows


def offerings_without_complete_assessment(cycle: EngagementCycle) -> list[Offering]:
    """Active offerings that have no assessment rating every active criterion in the cycle."""
    active_criteria = set(Criterion.objects.filter(is_active=True).values_list("pk", flat=True))
    complete_offerings = set()
    for assessment in Assessment.objects.filter(cycle=cycle).prefetch_related("ratings"):
        if active_criteria <= {r.criterion_id for r in assessment.ratings.all()}:
            complete_offerings.add(assessment.offering_id)
    return [o for o in Offering.objects.filter(status=OfferingStatus.ACTIVE)
            if o.pk not in complete_offerings]
