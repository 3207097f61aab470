"""Reads of the prioritization matrix (Task 3.2.1): rows with scores, statistics, charts."""

import math
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
import plotly.graph_objects as go
from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    Exists,
    F,
    FilteredRelation,
    FloatField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce

from oe21.choices import AccountKind, OfferingStatus
from oe21.lib.memo import memoized
from oe21.lib.queries import SubqueryCount
from oe21.models import EngagementCycle, MarketSegment, Offering, OrganisationProfile

from .models import Assessment, Criterion, Rating, VersionWeight, WeightsVersion
from .scoring import HIGH_FROM, MEDIUM_FROM, Score, weighted_score


@dataclass
class MatrixRow:
    assessment: Assessment
    cells: list[int | None]
    score: Score
    high_value: bool = False

    @property
    def estimated_success(self) -> str:
        """The override where a CFT member gave one, otherwise the computed band."""
        return self.assessment.success_override or self.score.estimated_success


def active_criteria() -> list[Criterion]:
    return list(Criterion.objects.filter(is_active=True))


def criteria_in_use(cycle: EngagementCycle) -> list[Criterion]:
    """Active criteria, plus retired ones that assessments of this cycle still carry; each with
    `weight_in_cycle`, its weight in the version the cycle's scores keep (today's weight while
    they follow today's weights)."""
    # EXISTS stops at the first rating of each criterion, where a join would read every rating of the cycle.
    rated = Rating.objects.filter(criterion=OuterRef("pk"), assessment__cycle=cycle)
    pinned = Assessment.objects.filter(cycle=cycle, weights_version__isnull=False).values("weights_version")[:1]
    kept = VersionWeight.objects.filter(criterion=OuterRef("pk"), version=Subquery(pinned)).values("weight")
    return list(Criterion.objects.filter(Q(is_active=True) | Q(Exists(rated)))
                .annotate(weight_in_cycle=Coalesce(Subquery(kept), F("weight"))))


def weights_in_use(cycle: EngagementCycle) -> WeightsVersion | None:
    """The weights version a cycle's scores keep, None while they follow today's weights."""
    pinned = Assessment.objects.filter(cycle=cycle, weights_version__isnull=False).values("weights_version")[:1]
    return WeightsVersion.objects.filter(pk__in=pinned).select_related("adopted_by").first()


def assessments_for_matrix(cycle: EngagementCycle) -> QuerySet[Assessment]:
    return (Assessment.objects.filter(cycle=cycle)
            .select_related("account__segment__parent", "offering", "reviewed_by")
            .prefetch_related("ratings"))


def score_rows(criteria: list[Criterion], assessments) -> list[MatrixRow]:
    """Score each assessment on the criteria that apply to it (active, or rated when retired), with
    the weights it is scored with: its pinned version's, or today's."""
    rows = []
    pinned: dict[int, dict[int, Decimal]] = {}  # version → criterion → weight, read once a version
    for assessment in assessments:
        weights = {c.pk: c.weight for c in criteria}
        if assessment.weights_version_id:
            if assessment.weights_version_id not in pinned:
                pinned[assessment.weights_version_id] = dict(VersionWeight.objects.filter(
                    version=assessment.weights_version_id).values_list("criterion_id", "weight"))
            weights |= pinned[assessment.weights_version_id]
        by_criterion = {r.criterion_id: r.value for r in assessment.ratings.all()}
        cells = [by_criterion.get(c.pk) for c in criteria]
        applicable = [(weights[c.pk], by_criterion.get(c.pk)) for c in criteria
                      if c.is_active or c.pk in by_criterion]
        rows.append(MatrixRow(assessment, cells, weighted_score(applicable)))
    return rows


STATISTICS = ["mean", "median", "std", "count"]
SEGMENT_LABEL = Coalesce("account__segment__parent__name", "account__segment__name", Value("No segment"))


def describe_ratings(distribution: dict[int, int]) -> dict[str, float | None]:
    """Mean, median, sample standard deviation (n − 1) and count of 1–5 ratings given as
    {rating: how many}: exact, and no list of every rating is ever built."""
    count = sum(distribution.values())
    if not count:
        return {"mean": None, "median": None, "std": None, "count": 0}
    mean = sum(value * n for value, n in distribution.items()) / count

    def nth(position):  # the rating at a 0-based position of the sorted ratings
        for value in sorted(distribution):
            position -= distribution[value]
            if position < 0:
                return value

    median = (nth((count - 1) // 2) + nth(count // 2)) / 2
    std = (math.sqrt(sum(n * (value - mean) ** 2 for value, n in distribution.items()) / (count - 1))
           if count > 1 else None)
    return {"mean": mean, "median": median, "std": std, "count": count}


def matrix_statistics(criteria: list[Criterion], assessments: QuerySet[Assessment]) -> dict[str, dict]:
    """Mean, median, standard deviation and count of each criterion's ratings over a (filtered)
    matrix — overall, by market segment and by offering: {view: {group: {criterion: {statistic: value}}}}.
    The database counts each rating value per segment (then per offering) and criterion, grouping
    by ids; the overall figures add up the offerings' counts. Four queries whatever the size."""
    ratings = Rating.objects.filter(assessment__in=assessments.order_by().values("pk")).order_by()

    def counts(key):
        found: dict = {}
        for group, criterion_id, value, n in (ratings.values_list(key, "criterion_id", "value")
                                              .annotate(n=Count("pk"))):
            found.setdefault(group, {}).setdefault(criterion_id, Counter())[value] += n
        return found

    by_segment, by_offering = counts("assessment__account__segment_id"), counts("assessment__offering_id")
    segment_names = {pk: parent or name for pk, name, parent in
                     MarketSegment.objects.filter(pk__in=[pk for pk in by_segment if pk])
                     .values_list("pk", "name", "parent__name")}
    offering_names = dict(Offering.objects.filter(pk__in=list(by_offering)).values_list("pk", "name"))
    segments: dict[str, list] = {}
    for pk, per_criterion in by_segment.items():  # a segment's customer groups add up into the segment
        segments.setdefault(segment_names.get(pk, "No segment"), []).append(per_criterion)

    def described(groups: dict[str, list[dict]]):
        result = {}
        for label in sorted(groups):
            merged: dict = {}
            for per_criterion in groups[label]:
                for criterion_id, distribution in per_criterion.items():
                    merged.setdefault(criterion_id, Counter()).update(distribution)
            result[label] = {c.name: describe_ratings(merged.get(c.pk, {})) for c in criteria}
        return result

    return {
        "Overall": described({"All assessments": list(by_offering.values())}) if by_offering else {},
        "By segment": described(segments),
        "By offering": described({offering_names[pk]: [c] for pk, c in by_offering.items()}),
    }


def score_distribution_chart(assessments: QuerySet[Assessment]) -> go.Figure | None:
    """A Plotly box plot of the 0–100 scores of a (filtered) matrix by market segment (None without
    data). The quartiles are computed here, so the page carries five numbers per segment."""
    frame = pd.DataFrame.from_records(
        assessments.order_by().filter(score__isnull=False)
        .annotate(segment=SEGMENT_LABEL, percent=(Cast("score", FloatField()) - 1) / 4 * 100)
        .values_list("segment", "percent"), columns=["segment", "score"])
    if frame.empty:
        return None
    figure = go.Figure()
    for segment, scores in frame.groupby("segment", sort=True)["score"]:
        q1, median, q3 = scores.quantile([0.25, 0.5, 0.75])
        figure.add_trace(go.Box(name=str(segment), x=[str(segment)], q1=[q1], median=[median], q3=[q3],
                                lowerfence=[scores.min()], upperfence=[scores.max()], mean=[scores.mean()],
                                showlegend=False))
    figure.update_layout(title="Score distribution by segment", height=380,
                         margin={"l": 40, "r": 20, "t": 50, "b": 40},
                         xaxis_title="Market segment", yaxis_title="Score (0–100)")
    figure.update_yaxes(range=[0, 100])
    return figure


def scored_assessments(cycle: EngagementCycle) -> QuerySet[Assessment]:
    """The cycle's assessments; each carries its stored `score` (Σ wᵢ·rᵢ / Σ wᵢ over its ratings,
    as `scoring.weighted_score`) and `active_rated` (how many active criteria it rates), kept in
    step by `Assessment.objects.rescore()`: set-based checks never load the rows nor their ratings."""
    return Assessment.objects.filter(cycle=cycle)


@dataclass(frozen=True)
class OfferingSuccess:
    """Standard 3.2.1: the ratings "determine the estimated success of each product, service or
    program": the mean score of its assessments in the cycle, and its band."""

    offering: str
    assessments: int
    mean: Score

    @property
    def band(self) -> str:
        return self.mean.estimated_success


def _matrix_filters(rows, segment, offering, sector):
    """The matrix page's filters: segment (with its customer groups), offering, NAICS sector."""
    if segment:
        rows = rows.filter(MarketSegment.with_groups_q(segment, "account__segment"))
    if offering:
        rows = rows.filter(offering=offering)
    if sector:
        rows = rows.filter(account__naics_code__startswith=sector)
    return rows


def success_by_offering(cycle: EngagementCycle, *, offering=None, segment=None, sector: str = "",
                        **ignored) -> list[OfferingSuccess]:
    """Each offering's mean score over its scored assessments in the cycle (filtered as the
    matrix is), best first: one GROUP BY over the stored scores."""
    rows = _matrix_filters(scored_assessments(cycle).filter(score__isnull=False), segment, offering, sector)
    grouped = (rows.values("offering__name").annotate(n=Count("pk"), mean=Avg("score"))
               .order_by("-mean", "offering__name"))
    return [OfferingSuccess(g["offering__name"], g["n"], Score(value=Decimal(str(g["mean"])), complete=True))
            for g in grouped]


def high_value_cutoff(cycle: EngagementCycle):
    """The lowest score among the cycle's high-value targets — the ⌈n/4⌉-th best of the n scored
    rows; rows tying with it are targets too, the rule of `scoring.high_value_targets` — or None
    without scores. Two reads of the (cycle, score) index: a count, then one row at an offset."""
    def read():
        count = matrix_counts(cycle)[1]
        if not count:
            return None
        scored = scored_assessments(cycle).filter(score__isnull=False)
        return scored.order_by("-score").values_list("score", flat=True)[(count + 3) // 4 - 1]
    return memoized(("high_value_cutoff", cycle.pk), read)


def matrix_counts(cycle: EngagementCycle) -> tuple[int, int, int]:
    """(active criteria, scored rows of the cycle's matrix, complete assessments milestone 1 asks of
    each offering — the organisation profile's setting), read in one query, once per page."""
    def read():
        default = OrganisationProfile._meta.get_field("assessments_per_offering").default  # before a profile exists
        asked = OrganisationProfile.objects.order_by("pk").values("assessments_per_offering")[:1]
        counts = (EngagementCycle.objects.filter(pk=cycle.pk)
                  .annotate(active=SubqueryCount(Criterion.objects.filter(is_active=True)),
                            scored=SubqueryCount(scored_assessments(cycle).filter(score__isnull=False)),
                            asked=Coalesce(Subquery(asked), default))
                  .values_list("active", "scored", "asked").first())
        return counts or (0, 0, default)
    return memoized(("matrix_counts", cycle.pk), read)


def high_value_rows(cycle: EngagementCycle) -> QuerySet[Assessment]:
    """The cycle's high-value targets: rows scoring at or above the cut-off (none without scores)."""
    cutoff = high_value_cutoff(cycle)
    if cutoff is None:
        return Assessment.objects.none()
    return scored_assessments(cycle).filter(score__gte=cutoff)


def high_value_accounts(cycle: EngagementCycle, segment: MarketSegment) -> list[tuple[int, Decimal]]:
    """(account id, best score) of the accounts in a segment (or its groups) that have a high-value
    row in the cycle's matrix, best first: milestone 2's T1 takes its targets from here."""
    rows = (high_value_rows(cycle).filter(MarketSegment.with_groups_q(segment, "account__segment"))
            .values("account_id").annotate(best=Max("score")).order_by("-best", "account_id"))
    return [(row["account_id"], row["best"]) for row in rows]


def high_value_unreviewed(cycle: EngagementCycle) -> QuerySet[Assessment]:
    """The cycle's high-value targets (the top quartile by score) that nobody has reviewed yet."""
    return (high_value_rows(cycle).filter(reviewed_at__isnull=True)
            .select_related("account", "offering").order_by("-score", "account__name"))


def _score_for(percent) -> Decimal:
    """The 1–5 score at a 0–100 threshold: percent = (score − 1) / 4 × 100."""
    return 1 + Decimal(percent) * 4 / 100


def matrix_queryset(cycle: EngagementCycle, *, segment=None, offering=None, sector: str = "",
                    band: str = "", to_review: bool = False, cutoff=None) -> QuerySet[Assessment]:
    """Task 3.2.1's matrix as one query the database ranks by score (highest first; equal scores in
    the order entered, read from an index) and filters by segment (with its groups), offering, NAICS
    sector or estimated-success band (the override where there is one): a page of it is read, never
    the whole matrix."""
    rows = scored_assessments(cycle).annotate(band=Case(
        When(~Q(success_override=""), then=F("success_override")),
        When(score__gte=_score_for(HIGH_FROM), then=Value("High")),
        When(score__gte=_score_for(MEDIUM_FROM), then=Value("Medium")),
        When(score__isnull=False, then=Value("Low")), default=Value("—"), output_field=CharField()))
    rows = _matrix_filters(rows, segment, offering, sector)
    if band:
        rows = rows.filter(band=band)
    if to_review:  # the high-value targets nobody has reviewed yet (milestone 1); `cutoff` when read already
        cutoff = cutoff if cutoff is not None else high_value_cutoff(cycle)
        rows = rows.filter(score__gte=cutoff, reviewed_at__isnull=True) if cutoff is not None else rows.none()
    return (rows.select_related("account__segment__parent", "offering", "reviewed_by").prefetch_related("ratings")
            .order_by(F("score").desc(nulls_last=True), "pk"))  # equal scores: first entered first (an index)


def page_rows(criteria: list[Criterion], assessments, cutoff) -> list[MatrixRow]:
    """The rows of a page of `matrix_queryset`, scored for display and marked high-value."""
    rows = score_rows(criteria, assessments)
    for row in rows:
        row.high_value = cutoff is not None and row.assessment.score is not None and row.assessment.score >= cutoff
    return rows


def offerings_short_of_assessments(cycle: EngagementCycle, active: int, minimum: int) -> QuerySet[Offering]:
    """Active offerings with fewer than `minimum` complete assessments of customers and prospects
    (rating every one of the `active` active criteria; a key stakeholder's does not count) in the
    cycle, or with assessments whose respondent's role or age group is not filled in. Each carries
    `complete` and `without_respondent` (counts); one query."""
    in_cycle = FilteredRelation("assessments", condition=Q(assessments__cycle=cycle))
    customers_and_prospects = [AccountKind.CUSTOMER, AccountKind.PROSPECT]
    return (Offering.objects.filter(status=OfferingStatus.ACTIVE).alias(in_cycle=in_cycle)
            .annotate(complete=Count("in_cycle", filter=Q(in_cycle__active_rated=active,
                                                          in_cycle__account__kind__in=customers_and_prospects)),
                      without_respondent=Count("in_cycle", filter=Q(in_cycle__respondent_role="")
                                               | Q(in_cycle__respondent_age_group="")))
            .filter(Q(complete__lt=minimum) | Q(without_respondent__gt=0)).order_by("name"))


def assessment_count(offering) -> int:
    """How many prioritization assessments rate an offering (all cycles)."""
    return Assessment.objects.filter(offering=offering).count()


def matrix_ratings(cycle: EngagementCycle) -> dict[tuple[int, int], dict[str, int]]:
    """{(account id, offering id): {criterion name: rating}} of a cycle's matrix (the demo and scale
    data sets make outcomes follow it)."""
    found: dict[tuple[int, int], dict[str, int]] = {}
    for account_id, offering_id, name, value in (Rating.objects.filter(assessment__cycle=cycle)
                                                 .values_list("assessment__account_id", "assessment__offering_id",
                                                              "criterion__name", "value").iterator(chunk_size=20_000)):
        found.setdefault((account_id, offering_id), {})[name] = value
    return found
