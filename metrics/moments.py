"""Moments of truth (#17; seed 002): where, in the customer lifecycle, experience falls short of the
promise — complaints, low ratings and detractor answers by lifecycle stage and by channel.

Each record counts under the lifecycle stage its account was in on the record's day (read from the
account's audit history; an account with no history by then counts under its stage today) and
under its channel: a complaint's own channel, "Customer rating" for a rating of 1–2 of 5, "Survey"
for a survey answer that recommends 0–6 of 10. Three grouped queries whatever the data size.
"""

import datetime
from dataclasses import dataclass

import plotly.graph_objects as go
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce

from oe21.choices import LifecycleStage
from oe21.models import Account, MarketSegment

from .choices import ComplaintChannel
from .engagement import DETRACTOR_MAX, LOW_RATING_MAX
from .models import Complaint, CustomerRating, SurveyResponse

RATING, SURVEY = "rating", "survey"
CHANNELS = [*ComplaintChannel.choices, (RATING, f"Customer rating 1–{LOW_RATING_MAX}"),
            (SURVEY, f"Survey: detractor 0–{DETRACTOR_MAX}")]


@dataclass(frozen=True)
class MomentsOfTruth:
    start: datetime.date
    end: datetime.date
    counts: dict[tuple[str, str], int]  # (stage, channel) → how many

    @property
    def stages(self) -> list[tuple[str, str]]:
        return list(LifecycleStage.choices)

    @property
    def channels(self) -> list[tuple[str, str]]:
        return CHANNELS

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def rows(self) -> list[tuple[str, list[int], int]]:
        """(stage label, count per channel, stage total) for the page's table."""
        return [(label, cells := [self.counts.get((stage, channel), 0) for channel, _ in CHANNELS], sum(cells))
                for stage, label in LifecycleStage.choices]

    def figure(self) -> go.Figure | None:
        """A Plotly heat map, stages down and channels across (None when nothing fell short)."""
        if not self.total:
            return None
        z = [cells for _, cells, _ in self.rows()]
        figure = go.Figure(go.Heatmap(z=z, x=[label for _, label in CHANNELS],
                                      y=[label for _, label in LifecycleStage.choices],
                                      text=z, texttemplate="%{text}", colorscale="Reds", zmin=0,
                                      hovertemplate="%{y} · %{x}: %{z}<extra></extra>"))
        figure.update_layout(title="Moments of truth: complaints, low ratings and detractors",
                             height=320, margin={"l": 120, "r": 20, "t": 50, "b": 80})
        figure.update_yaxes(autorange="reversed")
        return figure


def _stage_then(account: str, when: str, *, is_date: bool = True):
    """The account's lifecycle stage when the record was made: its newest history entry by then
    (by the end of the day for a date), or its stage today when it has none by then."""
    by_then = {"history_date__date__lte" if is_date else "history_date__lte": OuterRef(when)}
    history = (Account.history.model.objects.filter(id=OuterRef(account), **by_then)
               .order_by("-history_date", "-history_id").values("lifecycle_stage")[:1])
    return Coalesce(Subquery(history), F(f"{account.removesuffix('_id')}__lifecycle_stage"))


def moments_of_truth(*, start: datetime.date, end: datetime.date, offering=None, segment=None) -> MomentsOfTruth:
    """Complaints received, low ratings given and detractor answers made from `start` to `end`
    (inclusive), by the account's stage then and the channel; filtered by offering and market
    segment (with its customer groups) as the review is."""
    complaints = Complaint.objects.filter(received_on__range=(start, end))
    ratings = CustomerRating.objects.filter(rated_on__range=(start, end), value__lte=LOW_RATING_MAX)
    answers = SurveyResponse.objects.filter(created_at__date__range=(start, end), recommend__lte=DETRACTOR_MAX)
    if offering:
        complaints, ratings = complaints.filter(offering=offering), ratings.filter(offering=offering)
        answers = answers.filter(invitation__survey__offering=offering)
    if segment:
        complaints = complaints.filter(MarketSegment.with_groups_q(segment, "account__segment"))
        ratings = ratings.filter(MarketSegment.with_groups_q(segment, "account__segment"))
        answers = answers.filter(MarketSegment.with_groups_q(segment, "invitation__contact__account__segment"))
    counts: dict[tuple[str, str], int] = {}
    for stage, channel, n in (complaints.order_by().annotate(stage=_stage_then("account_id", "received_on"))
                              .values_list("stage", "channel").annotate(n=Count("pk"))):
        counts[(stage, channel)] = counts.get((stage, channel), 0) + n
    for channel, records, stage_then in (
            (RATING, ratings, _stage_then("account_id", "rated_on")),
            (SURVEY, answers, _stage_then("invitation__contact__account_id", "created_at", is_date=False))):
        for stage, n in (records.order_by().annotate(stage=stage_then)
                         .values_list("stage").annotate(n=Count("pk"))):
            counts[(stage, channel)] = counts.get((stage, channel), 0) + n
    return MomentsOfTruth(start, end, counts)
