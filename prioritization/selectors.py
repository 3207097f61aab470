"""Reads of the prioritization matrix (Task 3.2.1): rows with scores, statistics, charts."""

from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
import plotly.graph_objects as go
from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, NullIf, RowNumber

from oe21.choices import OfferingStatus
from oe21.models import EngagementCycle, MarketSegment, Offering

from .models import Assessment, Criterion, Rating
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
    """Active criteria, plus retired ones that assessments of this cycle still carry."""
    # EXISTS stops at the first rating of each criterion, where a join would read every rating of the cycle.
    rated = Rating.objects.filter(criterion=OuterRef("pk"), assessment__cycle=cycle)
    return list(Criterion.objects.filter(Q(is_active=True) | Q(Exists(rated))))


def assessments_for_matrix(cycle: EngagementCycle) -> QuerySet[Assessment]:
    return (Assessment.objects.filter(cycle=cycle)
            .select_related("account__segment__parent", "offering", "reviewed_by")
            .prefetch_related("ratings"))


def score_rows(criteria: list[Criterion], assessments) -> list[MatrixRow]:
    """Score each assessment on the criteria that apply to it (active, or rated when retired)."""
    rows = []
    for assessment in assessments:
        by_criterion = {r.criterion_id: r.value for r in assessment.ratings.all()}
        cells = [by_criterion.get(c.pk) for c in criteria]
        applicable = [(c.weight, by_criterion.get(c.pk)) for c in criteria
                      if c.is_active or c.pk in by_criterion]
        rows.append(MatrixRow(assessment, cells, weighted_score(applicable)))
    return rows


STATISTICS = ["mean", "median", "std", "count"]


def criterion_statistics(frame: pd.DataFrame, criteria: list[Criterion], by: str | None = None):
    """Mean, median, standard deviation and count of each criterion's ratings, overall or per
    segment/offering. Returns {group: {criterion: {statistic: value}}}."""
    names = [c.name for c in criteria]
    if frame.empty:
        return {}
    ratings = frame[names].apply(pd.to_numeric, errors="coerce")
    groups = [("All assessments", ratings)] if by is None else \
        [(str(key), part[names].apply(pd.to_numeric, errors="coerce"))
         for key, part in frame.groupby(by, sort=True)]
    result = {}
    for key, part in groups:
        described = part.agg(STATISTICS)  # std is the sample standard deviation (n − 1)
        result[key] = {
            name: {stat: (None if pd.isna(described.at[stat, name]) else float(described.at[stat, name]))
                   for stat in STATISTICS}
            for name in names
        }
    return result


def score_distribution_chart(frame: pd.DataFrame) -> go.Figure | None:
    """A Plotly box plot of the 0–100 scores by market segment (None without data)."""
    if frame.empty or frame["score"].dropna().empty:
        return None
    # The quartiles are computed here, so the page carries five numbers per segment, not every score.
    figure = go.Figure()
    for segment, scores in frame.dropna(subset=["score"]).groupby("segment", sort=True)["score"]:
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
    """The cycle's assessments with their `score` (Σ wᵢ·rᵢ / Σ wᵢ over the ratings they carry, as
    `scoring.weighted_score`) and `active_rated` (how many active criteria they rate), computed by
    the database as per-row subqueries: set-based checks never load the rows."""
    ratings = Rating.objects.filter(assessment=OuterRef("pk")).order_by().values("assessment")
    weighted = Sum(F("value") * F("criterion__weight"), output_field=DecimalField())
    score = ratings.annotate(s=ExpressionWrapper(weighted / NullIf(Sum("criterion__weight"), Value(0)),
                                                 output_field=DecimalField())).values("s")
    active = ratings.filter(criterion__is_active=True).annotate(n=Count("pk")).values("n")
    return Assessment.objects.filter(cycle=cycle).annotate(
        score=Subquery(score, output_field=DecimalField()),
        active_rated=Coalesce(Subquery(active, output_field=IntegerField()), Value(0)))


def _cutoff(cycle: EngagementCycle) -> QuerySet[Assessment]:
    """The row whose score is the lowest of the top quartile: the ⌈n/4⌉-th best of the scored rows
    (rows tying with it are targets too, the rule of `scoring.high_value_targets`)."""
    return (scored_assessments(cycle).filter(score__isnull=False)
            .annotate(position=Window(RowNumber(), order_by=[F("score").desc(), F("pk").asc()]),
                      scored=Window(Count("pk")))
            .filter(position=(F("scored") + 3) / 4))


def high_value_unreviewed(cycle: EngagementCycle) -> QuerySet[Assessment]:
    """The cycle's high-value targets (the top quartile by score) that nobody has reviewed yet.
    One query: the cut-off score is a subquery."""
    return (scored_assessments(cycle).filter(score__gte=Subquery(_cutoff(cycle).values("score")[:1]),
                                             reviewed_at__isnull=True)
            .select_related("account", "offering").order_by("-score", "account__name"))


def _score_for(percent) -> Decimal:
    """The 1–5 score at a 0–100 threshold: percent = (score − 1) / 4 × 100."""
    return 1 + Decimal(percent) * 4 / 100


def matrix_queryset(cycle: EngagementCycle, *, segment=None, offering=None, sector: str = "",
                    band: str = "") -> QuerySet[Assessment]:
    """Task 3.2.1's matrix as one query the database ranks by score (highest first) and filters by
    segment (with its groups), offering, NAICS sector or estimated-success band (the override
    where there is one): a page of it is read, never the whole matrix."""
    rows = scored_assessments(cycle).annotate(band=Case(
        When(~Q(success_override=""), then=F("success_override")),
        When(score__gte=_score_for(HIGH_FROM), then=Value("High")),
        When(score__gte=_score_for(MEDIUM_FROM), then=Value("Medium")),
        When(score__isnull=False, then=Value("Low")), default=Value("—"), output_field=CharField()))
    if segment:
        rows = rows.filter(MarketSegment.with_groups_q(segment, "account__segment"))
    if offering:
        rows = rows.filter(offering=offering)
    if sector:
        rows = rows.filter(account__naics_code__startswith=sector)
    if band:
        rows = rows.filter(band=band)
    return (rows.select_related("account__segment__parent", "offering", "reviewed_by").prefetch_related("ratings")
            .order_by(F("score").desc(nulls_last=True), "account__name", "pk"))


def high_value_cutoff(cycle: EngagementCycle):
    """The lowest score among the cycle's high-value targets (None without scores)."""
    return _cutoff(cycle).values_list("score", flat=True).first()


def page_rows(criteria: list[Criterion], assessments, cutoff) -> list[MatrixRow]:
    """The rows of a page of `matrix_queryset`, scored for display and marked high-value."""
    rows = score_rows(criteria, assessments)
    for row in rows:
        row.high_value = cutoff is not None and row.assessment.score is not None and row.assessment.score >= cutoff
    return rows


def matrix_frame_of(criteria: list[Criterion], assessments: QuerySet[Assessment]) -> pd.DataFrame:
    """One line per assessment of a (filtered) matrix — segment, offering, score (0–100) and a column
    per criterion — for the statistics and the chart, from two flat queries: no model instance per row."""
    base = assessments.order_by()
    meta = list(base.values_list("pk", "account__segment__parent__name", "account__segment__name", "offering__name"))
    names = {c.pk: c.name for c in criteria}
    weights = {c.pk: c.weight for c in criteria}
    ratings: dict[int, dict[str, int]] = {}
    weighted: dict[int, list] = {}  # assessment → [Σ w·r, Σ w], the score of `scoring.weighted_score`
    for assessment_id, criterion_id, value in (Rating.objects.filter(assessment__in=base.values("pk"))
                                               .values_list("assessment_id", "criterion_id", "value")):
        if criterion_id in names:
            ratings.setdefault(assessment_id, {})[names[criterion_id]] = value
            sums = weighted.setdefault(assessment_id, [0, 0])
            sums[0] += weights[criterion_id] * value
            sums[1] += weights[criterion_id]

    def percent(pk):
        total, weight = weighted.get(pk, (0, 0))
        return float((total / weight - 1) / 4 * 100) if weight else None

    records = [{"segment": parent or group or "No segment", "offering": offering, "score": percent(pk),
                **ratings.get(pk, {})} for pk, parent, group, offering in meta]
    return pd.DataFrame.from_records(records, columns=["segment", "offering", "score"] + [c.name for c in criteria])


def offerings_without_complete_assessment(cycle: EngagementCycle, active: int) -> QuerySet[Offering]:
    """Active offerings with no assessment rating every one of the `active` active criteria in the cycle."""
    complete = scored_assessments(cycle).filter(active_rated=active).values("offering_id")
    return Offering.objects.filter(status=OfferingStatus.ACTIVE).exclude(pk__in=complete).order_by("name")


def assessment_count(offering) -> int:
    """How many prioritization assessments rate an offering (all cycles)."""
    return Assessment.objects.filter(offering=offering).count()
