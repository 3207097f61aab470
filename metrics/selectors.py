"""Reads of Tasks 3.2.8–3.2.9: the monthly review dashboard, complaint and rating figures."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd
import plotly.graph_objects as go
from django.db.models import Count, F
from django.db.models.functions import Coalesce

from oe21.choices import ActionItemStatus
from oe21.lib.months import add_months, months_back
from oe21.models import ActionItem, MarketSegment
from requirements_specs.selectors import tasks_on_measures

from .analysis import Correlation, monthly_frame, rag_status, stored_correlations, strongest
from .choices import REPEAT_WINDOW_DAYS, Breakdown, Direction, MeasureKind, RootCause
from .computations import breakdown_key
from .models import Complaint, Measure, MeasureEntry, ReviewMeeting


@dataclass
class MeasureTrend:
    measure: Measure
    months: list[datetime.date]
    values: list[float | None]
    current: float | None
    status: str
    note: str = ""

    @property
    def has_data(self) -> bool:
        return any(value is not None for value in self.values)

    def chart_data(self) -> dict:
        return {"id": self.measure.pk, "name": str(self.measure), "unit": self.measure.unit,
                "x": [m.isoformat() for m in self.months], "y": self.values,
                "target": float(self.measure.target) if self.measure.target is not None else None,
                "status": self.status}


@dataclass
class Review:
    month: datetime.date
    trends: list[MeasureTrend]
    correlations: list[Correlation]
    strongest: list[Correlation]
    names: dict[int, str]
    meetings: list[ReviewMeeting] = field(default_factory=list)


def _key_for(measure: Measure, offering, segment) -> tuple[str, str]:
    """Which values to show for a filter: the measure's own breakdown, or overall with a note."""
    if offering:
        if measure.breakdown == Breakdown.OFFERING:
            return breakdown_key(offering_id=offering.pk), ""
        return "", "not broken down by offering: overall values"
    if segment:
        if measure.breakdown == Breakdown.SEGMENT:
            return breakdown_key(segment_id=segment.pk), ""
        return "", "not broken down by segment: overall values"
    return "", ""


def default_review_month(today: datetime.date | None = None) -> datetime.date:
    """The month the review shows unless another is picked: the last full month."""
    return add_months((today or datetime.date.today()).replace(day=1), -1)


def review(*, month: datetime.date, months: int = 12, offering=None, segment=None) -> Review:
    """Task 3.2.9: every selected measure's trend to `month` with target and status, and the
    correlation of each KRD with each KRI; a constant number of queries."""
    period = months_back(month, months)
    measures = list(Measure.objects.filter(is_selected=True).select_related("owner"))
    keys = {""} | {breakdown_key(offering_id=offering.pk)} if offering else {""}
    if segment:
        keys |= {breakdown_key(segment_id=segment.pk)}
    rows = list(MeasureEntry.objects.filter(measure__in=measures, period__gte=period[0], period__lte=period[-1],
                                            breakdown_key__in=keys)
                .values_list("measure_id", "breakdown_key", "period", "value"))
    by_measure: dict[int, dict[datetime.date, float]] = {}
    chosen = {m.pk: _key_for(m, offering, segment) for m in measures}
    for measure_id, key, month_of, value in rows:
        if key == chosen[measure_id][0]:
            by_measure.setdefault(measure_id, {})[month_of] = float(value)
    trends = []
    month_open = period[-1] >= datetime.date.today().replace(day=1)  # its values are not final yet
    for measure in measures:
        series = by_measure.get(measure.pk, {})
        values = [series.get(m) for m in period]
        current = series.get(period[-1])
        status = "in_progress" if month_open else rag_status(current, measure.target, measure.direction)
        trends.append(MeasureTrend(measure, period, values, current, status, chosen[measure.pk][1]))
    frame = monthly_frame([(mid, m, v) for mid, series in by_measure.items() for m, v in series.items()], period)
    drivers = [m.pk for m in measures if m.kind == MeasureKind.KRD]
    indicators = [m.pk for m in measures if m.kind == MeasureKind.KRI]
    results = stored_correlations(frame, drivers, indicators)
    return Review(month=period[-1], trends=trends, correlations=results, strongest=strongest(results),
                  names={m.pk: m.name for m in measures},
                  meetings=list(ReviewMeeting.objects.filter(month=period[-1]).select_related("recorded_by")
                                .prefetch_related("follow_ups__owner", "present")))


def open_follow_ups(month):
    """Follow-up tasks of earlier monthly reviews that are not done yet: each review shows them
    again until somebody closes them (one query, at most 100)."""
    from django.contrib.contenttypes.models import ContentType

    earlier = ReviewMeeting.objects.filter(month__lt=month).values("pk")
    return list(ActionItem.objects.filter(source_type=ContentType.objects.get_for_model(ReviewMeeting),
                                          source_id__in=earlier, status=ActionItemStatus.OPEN)
                .select_related("owner").prefetch_related("source__cycle").order_by("due_on", "pk")[:100])


def correlation_heatmap(result: Review) -> go.Figure | None:
    """A Plotly heat map: rows are KRD × lag, columns KRI, cells Pearson r (blank: not enough data)."""
    if not any(c.enough_data for c in result.correlations):
        return None
    drivers = list(dict.fromkeys(c.driver for c in result.correlations))
    indicators = list(dict.fromkeys(c.indicator for c in result.correlations))
    cell = {(c.driver, c.lag, c.indicator): c for c in result.correlations}
    lags = sorted({c.lag for c in result.correlations})
    rows = [(d, lag) for d in drivers for lag in lags]
    z = [[cell[(d, lag, i)].r for i in indicators] for d, lag in rows]
    text = [[("n/a" if cell[(d, lag, i)].r is None else f"{cell[(d, lag, i)].r:.2f}") + f" (n={cell[(d, lag, i)].n})"
             for i in indicators] for d, lag in rows]
    figure = go.Figure(go.Heatmap(
        z=z, x=[result.names[i] for i in indicators],
        y=[f"{result.names[d]} · lag {lag}" for d, lag in rows], text=text, texttemplate="%{text}",
        zmin=-1, zmax=1, colorscale="RdBu", hoverongaps=False))
    figure.update_layout(title="Correlation of drivers (KRD, lagged) with indicators (KRI)",
                         height=120 + 28 * len(rows), margin={"l": 260, "r": 20, "t": 50, "b": 60})
    return figure


@dataclass
class ComplaintFigures:
    total: int
    resolved: int
    mean_days_to_resolve: float | None
    repeats: int
    by: dict[str, list[tuple[str, int]]]


def _label(choices, value):
    return dict(choices).get(value, value)


def complaint_figures(complaints) -> ComplaintFigures:
    """Time to resolve, repeat complaints, and counts by offering, segment, category, root cause.
    The counts are GROUP BYs in the database; only four plain columns per complaint (no joins)
    come into pandas, for the time to resolve and the repeats."""
    from .choices import ComplaintCategory

    base = complaints.order_by()
    frame = pd.DataFrame.from_records(base.values_list("received_on", "resolved_on", "account_id", "category"),
                                      columns=["received_on", "resolved_on", "account_id", "category"])
    if frame.empty:
        return ComplaintFigures(0, 0, None, 0, {})
    frame["received_on"] = pd.to_datetime(frame["received_on"])
    frame["resolved_on"] = pd.to_datetime(frame["resolved_on"])
    days = (frame["resolved_on"] - frame["received_on"]).dt.days.dropna()
    frame = frame.sort_values(["account_id", "category", "received_on"])
    gap = frame.groupby(["account_id", "category"])["received_on"].diff().dt.days
    repeats = int((gap <= REPEAT_WINDOW_DAYS).sum())

    def counts(expression, labels=None, empty=None):  # None: complaints without one are not counted
        rows = base.annotate(group=expression).values_list("group").annotate(n=Count("pk")).order_by("-n", "group")
        return [(_label(labels, key) if labels else (key if key is not None else empty), n)
                for key, n in rows if key is not None or empty is not None]

    return ComplaintFigures(
        total=len(frame), resolved=int(frame["resolved_on"].notna().sum()),
        mean_days_to_resolve=round(float(days.mean()), 1) if len(days) else None, repeats=repeats,
        by={"Offering": counts(F("offering__name")),
            "Segment": counts(Coalesce("account__segment__parent__name", "account__segment__name"),
                              empty="No segment"),
            "Category": counts(F("category"), ComplaintCategory.choices),
            "Root cause": counts(F("root_cause"), RootCause.choices)})


def pareto_chart(figures: ComplaintFigures) -> go.Figure | None:
    """Root causes, most frequent first, with the cumulative share (a Pareto chart)."""
    causes = figures.by.get("Root cause", [])
    if not causes:
        return None
    names, counts = [c for c, _ in causes], [n for _, n in causes]
    total, running, cumulative = sum(counts), 0, []
    for n in counts:
        running += n
        cumulative.append(round(100 * running / total, 1))
    figure = go.Figure()
    figure.add_bar(x=names, y=counts, name="Complaints")
    figure.add_scatter(x=names, y=cumulative, name="Cumulative %", yaxis="y2", mode="lines+markers")
    figure.update_layout(title="Complaints by root cause (Pareto)", height=340,
                         yaxis2={"overlaying": "y", "side": "right", "range": [0, 100], "title": "%"},
                         margin={"l": 40, "r": 40, "t": 50, "b": 60})
    return figure


def complaints_filtered(*, offering=None, segment=None):
    complaints = Complaint.objects.select_related("account__segment__parent", "offering")
    if offering:
        complaints = complaints.filter(offering=offering)
    if segment:
        complaints = complaints.filter(MarketSegment.with_groups_q(segment, "account__segment"))
    return complaints


def ratings_by_offering(ratings) -> list[dict]:
    from django.db.models import Avg

    return list(ratings.values("offering__name").annotate(n=Count("id"), mean=Avg("value")).order_by("offering__name"))


def offering_voice(offering) -> dict:
    """The customer ratings (count, mean), complaint count and survey results (responses, NPS,
    engagement classes) of an offering: plain values, so that a specification can keep a copy."""
    from django.db.models import Avg

    from .models import CustomerRating
    from .surveys import offering_survey_voice

    ratings = CustomerRating.objects.filter(offering=offering).aggregate(n=Count("id"), mean=Avg("value"))
    mean = None if ratings["mean"] is None else round(float(ratings["mean"]), 2)
    return {"ratings": {"n": ratings["n"], "mean": mean},
            "complaints": Complaint.objects.filter(offering=offering).count(),
            "survey": offering_survey_voice(offering)}


@dataclass
class ReviewLogMonth:
    month: datetime.date
    meetings: list
    state: str  # "reviewed", "no quorum", "missing", "in progress"


def review_log(cycle, today: datetime.date | None = None) -> tuple[list[ReviewLogMonth], int]:
    """Every month of the cycle so far with its review meetings, flagged as milestone 7 reads them:
    reviewed (with a quorum of the CFT), no quorum, missing (a closed month without a review), or
    in progress (the current month). Returns the months, newest first, and the quorum. Three queries."""
    from oe21.selectors import cft_team, quorum

    from .milestones import closed_months

    today = today or datetime.date.today()
    team = set(cft_team().values_list("pk", flat=True))
    needed = quorum(len(team))
    meetings: dict[datetime.date, list] = {}
    for meeting in (ReviewMeeting.objects.filter(cycle=cycle).select_related("recorded_by")
                    .prefetch_related("present").order_by("month", "held_on")):
        meeting.cft_present = sum(1 for person in meeting.present.all() if person.pk in team)
        meetings.setdefault(meeting.month, []).append(meeting)
    months = closed_months(cycle, today)
    current = today.replace(day=1)
    if cycle.starts_on <= today <= cycle.ends_on:
        months.append(current)
    rows = []
    for month in months:
        held = meetings.get(month, [])
        if any(m.cft_present >= needed for m in held):
            state = "reviewed"
        elif month == current:
            state = "in progress"
        elif held:
            state = "no quorum"
        else:
            state = "missing"
        rows.append(ReviewLogMonth(month, held, state))
    return rows[::-1], needed


# The review loop: outcomes and what the action plan moved ---------------------------------------

@dataclass(frozen=True)
class TaskEffect:
    """An action-plan task and the measure it should move: the measure's (overall) value in the
    month before the task started and its latest value since, up to the month reviewed."""

    task: str
    status: str
    measure: Measure
    started: datetime.date
    before: tuple[datetime.date, Decimal] | None
    after: tuple[datetime.date, Decimal] | None

    @property
    def change(self) -> Decimal | None:
        return self.after[1] - self.before[1] if self.before and self.after else None

    @property
    def better(self) -> bool | None:
        """Whether the measure moved the right way (its direction); None without both values or a change."""
        if not self.change:
            return None
        return (self.change > 0) == (self.measure.direction == Direction.HIGHER)


def task_effects(month: datetime.date) -> list[TaskEffect]:
    """Each approved action-plan task linked to a measure (newest start first, at most 50), with that
    measure before and after the task started: three queries."""
    tasks = tasks_on_measures(started_before=add_months(month, 1))  # started by the end of the month reviewed
    if not tasks:
        return []
    measures = Measure.objects.in_bulk({t.measure_id for t in tasks})
    values: dict[int, list[tuple[datetime.date, Decimal]]] = {}
    since = add_months(min(t.start_on for t in tasks).replace(day=1), -12)  # "before": within a year of the start
    for measure_id, period, value in (MeasureEntry.objects.filter(measure_id__in=measures, breakdown_key="",
                                                                  period__gte=since, period__lte=month)
                                      .order_by("period").values_list("measure_id", "period", "value")):
        values.setdefault(measure_id, []).append((period, value))
    effects = []
    for task in tasks:
        started = task.start_on.replace(day=1)
        series = values.get(task.measure_id, [])
        before = [pair for pair in series if pair[0] < started]
        after = [pair for pair in series if pair[0] >= started]
        effects.append(TaskEffect(task.description, task.status, measures[task.measure_id], task.start_on,
                                  before[-1] if before else None, after[-1] if after else None))
    return effects


def intended_outcomes(cycle) -> list:
    """The cycle's key intended outcomes, each with its KRIs (two queries)."""
    from .models import IntendedOutcome

    return list(IntendedOutcome.objects.filter(cycle=cycle).select_related("owner")
                .prefetch_related("indicators").order_by("title"))
