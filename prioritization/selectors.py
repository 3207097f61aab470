"""Reads of the prioritization matrix (Task 3.2.1): rows with scores, statistics, charts."""

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum, Value
from django.db.models.functions import NullIf

from oe21.choices import OfferingStatus
from oe21.models import EngagementCycle, Offering

from .models import Assessment, Criterion
from .scoring import Score, high_value_targets, weighted_score


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
    return list(
        Criterion.objects.filter(Q(is_active=True) | Q(ratings__assessment__cycle=cycle)).distinct()
    )


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


def matrix_rows(cycle: EngagementCycle, assessments=None) -> tuple[list[Criterion], list[MatrixRow]]:
    """Task 3.2.1: the matrix of a cycle ranked by score (highest first), with the
    high-value targets (top quartile of the whole cycle) marked."""
    criteria = criteria_in_use(cycle)
    rows = score_rows(criteria, assessments if assessments is not None
                      else assessments_for_matrix(cycle))
    targets = {id(r) for r in high_value_targets([(r, r.score.value) for r in rows])}
    for row in rows:
        row.high_value = id(row) in targets
    rows.sort(key=lambda r: (r.score.value is None, -(r.score.value or 0), r.assessment.account.name))
    return criteria, rows


def filter_rows(rows: list[MatrixRow], *, segment=None, offering=None, sector: str = "",
                band: str = "") -> list[MatrixRow]:
    """Rows of one segment (with its groups), offering, NAICS sector or estimated-success band."""
    def keep(row: MatrixRow) -> bool:
        account = row.assessment.account
        if segment and account.market_segment != segment and account.segment != segment:
            return False
        if offering and row.assessment.offering_id != offering.pk:
            return False
        if sector and not account.naics_code.startswith(sector):
            return False
        return not band or row.estimated_success == band

    return [row for row in rows if keep(row)]


def matrix_frame(criteria: list[Criterion], rows: list[MatrixRow]) -> pd.DataFrame:
    """One line per assessment: segment, offering, score (0–100) and a column per criterion."""
    records = []
    for row in rows:
        record = {"segment": row.assessment.account.market_segment_name,
                  "offering": row.assessment.offering.name,
                  "score": float(row.score.percent) if row.score.percent is not None else None}
        record.update({c.name: row.cells[i] for i, c in enumerate(criteria)})
        records.append(record)
    columns = ["segment", "offering", "score"] + [c.name for c in criteria]
    return pd.DataFrame.from_records(records, columns=columns)


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
        figure.add_trace(go.Box(name=str(segment), q1=[q1], median=[median], q3=[q3], lowerfence=[scores.min()],
                                upperfence=[scores.max()], mean=[scores.mean()], showlegend=False))
    figure.update_layout(title="Score distribution by segment", height=380,
                         margin={"l": 40, "r": 20, "t": 50, "b": 40},
                         xaxis_title="Market segment", yaxis_title="Score (0–100)")
    figure.update_yaxes(range=[0, 100])
    return figure


def scored_assessments(cycle: EngagementCycle) -> QuerySet[Assessment]:
    """The cycle's assessments with their `score` (Σ wᵢ·rᵢ / Σ wᵢ over the ratings they carry, as
    `scoring.weighted_score`) and `active_rated` (how many active criteria they rate), computed by
    the database: set-based checks never load the rows."""
    weighted = Sum(F("ratings__value") * F("ratings__criterion__weight"), output_field=DecimalField())
    weights = Sum("ratings__criterion__weight", output_field=DecimalField())
    return Assessment.objects.filter(cycle=cycle).annotate(
        score=ExpressionWrapper(weighted / NullIf(weights, Value(0)), output_field=DecimalField()),
        active_rated=Count("ratings", filter=Q(ratings__criterion__is_active=True)))


def high_value_cutoff(scored: QuerySet[Assessment]):
    """The lowest score of the top quartile (⌈n/4⌉ best of the scored rows), or None; the same rule
    as `scoring.high_value_targets`, in two queries."""
    with_score = scored.filter(score__isnull=False)
    count = with_score.count()
    if not count:
        return None
    return with_score.order_by("-score").values_list("score", flat=True)[(count + 3) // 4 - 1]


def high_value_unreviewed(cycle: EngagementCycle) -> QuerySet[Assessment]:
    """The cycle's high-value targets (top quartile by score) that nobody has reviewed yet."""
    scored = scored_assessments(cycle)
    cutoff = high_value_cutoff(scored)
    if cutoff is None:
        return Assessment.objects.none()
    return (scored.filter(score__gte=cutoff, reviewed_at__isnull=True)
            .select_related("account", "offering").order_by("-score", "account__name"))


def offerings_without_complete_assessment(cycle: EngagementCycle, active: int) -> QuerySet[Offering]:
    """Active offerings with no assessment rating every one of the `active` active criteria in the cycle."""
    complete = scored_assessments(cycle).filter(active_rated=active).values("offering_id")
    return Offering.objects.filter(status=OfferingStatus.ACTIVE).exclude(pk__in=complete).order_by("name")


def assessment_count(offering) -> int:
    """How many prioritization assessments rate an offering (all cycles)."""
    return Assessment.objects.filter(offering=offering).count()
