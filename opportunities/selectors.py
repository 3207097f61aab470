"""Reads of the campaign and the Opportunity Manager: derived counts, figures and roll-ups.

Every count comes from the touch events; a list page annotates them in the same query as the
opportunities, so it makes a constant number of queries whatever the data size.
"""

from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd
import plotly.graph_objects as go
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncWeek

from oe21.models import EngagementCycle, MarketSegment

from .choices import (
    COUNT_NAMES,
    ENGAGEMENT_STEPS,
    FUNNEL,
    STATUSES_NEEDING_REASON,
    Channel,
    Direction,
    Phase,
    Status,
    StatusReason,
)
from .formulas import (
    FormulaParameters,
    progress_points,
    progress_toward_purchase,
    sales_efficiency,
)
from .models import Campaign, CampaignItem, EngagementText, FormulaSettings, Opportunity, StatusChange


def formula_parameters() -> FormulaParameters:
    """The admin's formula settings, or the standard's defaults when none are saved."""
    saved = FormulaSettings.objects.order_by("pk").first()
    if saved is None:
        return FormulaParameters()
    return FormulaParameters(saved.points_undecided, saved.points_interested,
                             saved.points_evaluating, saved.points_purchased, saved.maximum_points)


def count_key(channel: str, direction: str) -> str:
    return f"n_{channel}_{direction}"


def _touch_counts() -> dict:
    counts = {count_key(c, d): Count("touches", filter=Q(touches__channel=c, touches__direction=d))
              for c in Channel.values for d in Direction.values}
    counts["n_out"] = Count("touches", filter=Q(touches__direction=Direction.OUT))
    counts["n_in"] = Count("touches", filter=Q(touches__direction=Direction.IN))
    return counts


def opportunities_annotated() -> QuerySet[Opportunity]:
    """Opportunities with every touch count annotated (one query)."""
    return Opportunity.objects.annotate(**_touch_counts())


def opportunities_with_counts(cycle: EngagementCycle) -> QuerySet[Opportunity]:
    """The cycle's opportunities with every touch count annotated (one query)."""
    return (opportunities_annotated().filter(cycle=cycle)
            .select_related("salesperson", "offering", "account__segment__parent", "contact")
            .order_by("account__name", "offering__name", "pk"))


@dataclass
class OpportunityFigures:
    """The derived figures of one opportunity row."""

    counts: dict[str, tuple[int, int]]  # channel → (out, in)
    touches_out: int
    responses: int
    efficiency: Decimal | None
    steps_done: int
    points: int
    progress: Decimal


def figures_for(opportunity: Opportunity, parameters: FormulaParameters) -> OpportunityFigures:
    """Figures of an opportunity annotated by `opportunities_with_counts`."""
    counts = {c: (getattr(opportunity, count_key(c, Direction.OUT)),
                  getattr(opportunity, count_key(c, Direction.IN))) for c in Channel.values}
    steps_done = sum(1 for name, _ in ENGAGEMENT_STEPS if getattr(opportunity, name))
    points = progress_points(steps_done=steps_done, status=opportunity.status, parameters=parameters)
    return OpportunityFigures(
        counts=counts, touches_out=opportunity.n_out, responses=opportunity.n_in,
        efficiency=sales_efficiency(touches_out=opportunity.n_out, responses=opportunity.n_in),
        steps_done=steps_done, points=points,
        progress=progress_toward_purchase(points=points, status=opportunity.status,
                                          parameters=parameters),
    )


@dataclass
class OpportunityRow:
    opportunity: Opportunity
    figures: OpportunityFigures


def opportunity_rows(opportunities) -> list[OpportunityRow]:
    parameters = formula_parameters()
    return [OpportunityRow(o, figures_for(o, parameters)) for o in opportunities]


ROLLUP_DIMENSIONS = {
    # Full name and username: two people may share a name, never a username.
    "salesperson": ("Salesperson", lambda o: f"{o.salesperson.get_full_name()} ({o.salesperson.username})"
                    if o.salesperson.get_full_name() else o.salesperson.username),
    "offering": ("Offering", lambda o: o.offering.name),
    "segment": ("Market segment", lambda o: o.account.market_segment_name),
    "lead_source": ("Lead source", lambda o: o.get_lead_source_display()),
}


@dataclass
class RollupRow:
    group: str
    statuses: dict[str, int] = field(default_factory=dict)
    touches_out: int = 0
    responses: int = 0

    @property
    def total(self) -> int:
        return sum(self.statuses.values())

    @property
    def efficiency(self) -> Decimal | None:
        return sales_efficiency(touches_out=self.touches_out, responses=self.responses)


def rollup(rows: list[OpportunityRow], dimension: str) -> list[RollupRow]:
    """Status counts and sales efficiency per salesperson, offering, segment or lead source."""
    _, key = ROLLUP_DIMENSIONS[dimension]
    groups: dict[str, RollupRow] = {}
    for row in rows:
        name = key(row.opportunity)
        group = groups.setdefault(name, RollupRow(name, {s: 0 for s in Status.values}))
        group.statuses[row.opportunity.status] += 1
        group.touches_out += row.figures.touches_out
        group.responses += row.figures.responses
    return sorted(groups.values(), key=lambda g: g.group)


def funnel(cycle: EngagementCycle) -> list[tuple[str, int, Decimal | None]]:
    """How many opportunities reached each funnel status (or a later one), and the share of
    the previous stage that got there."""
    reached = {}
    changes = (StatusChange.objects.filter(opportunity__cycle=cycle)
               .values_list("opportunity_id", "to_status"))
    best: dict[int, int] = {}
    for opportunity_id, status in changes:
        if status in FUNNEL:
            best[opportunity_id] = max(best.get(opportunity_id, -1), FUNNEL.index(status))
    total = Opportunity.objects.filter(cycle=cycle).count()
    result = [("All opportunities", total, None)]
    previous = total
    for index, status in enumerate(FUNNEL):
        reached[status] = sum(1 for level in best.values() if level >= index)
        share = (Decimal(100) * reached[status] / previous).quantize(Decimal("0.1")) if previous else None
        result.append((Status(status).label, reached[status], share))
        previous = reached[status]
    return result


def reason_counts(cycle: EngagementCycle) -> dict[str, int]:
    """Why opportunities stalled: reasons of those now in No progress, Unsubscribed or Not interested."""
    counts = dict.fromkeys(StatusReason.labels, 0)
    for reason in (Opportunity.objects.filter(cycle=cycle, status__in=STATUSES_NEEDING_REASON)
                   .exclude(status_reason="").values_list("status_reason", flat=True)):
        counts[StatusReason(reason).label] += 1
    return counts


def touches_per_week_chart(cycle: EngagementCycle) -> go.Figure | None:
    """A Plotly chart of touches out and responses per week (None without touches)."""
    from .models import Touch

    data = list(Touch.objects.filter(opportunity__cycle=cycle)
                .annotate(week=TruncWeek("occurred_on")).values("week", "direction")
                .annotate(n=Count("id")).order_by("week"))
    if not data:
        return None
    frame = pd.DataFrame(data).pivot_table(index="week", columns="direction", values="n",
                                           fill_value=0, aggfunc="sum")
    figure = go.Figure()
    for direction, label in ((Direction.OUT, "Touches out"), (Direction.IN, "Responses")):
        if direction in frame.columns:
            figure.add_bar(x=frame.index, y=frame[direction], name=label)
    figure.update_layout(title="Touches and responses per week", barmode="group", height=340,
                         margin={"l": 40, "r": 20, "t": 50, "b": 40})
    return figure


def bar_chart(title: str, counts: dict[str, int]) -> go.Figure | None:
    if not any(counts.values()):
        return None
    figure = go.Figure(go.Bar(x=list(counts), y=list(counts.values())))
    figure.update_layout(title=title, height=300, margin={"l": 40, "r": 20, "t": 50, "b": 40})
    return figure


@dataclass
class PhaseProgress:
    phase: int
    label: str
    items: list[CampaignItem]

    @property
    def done(self) -> int:
        return sum(1 for item in self.items if item.done_on)

    @property
    def percent(self) -> int:
        return round(100 * self.done / len(self.items)) if self.items else 0


def campaign_phases(campaign: Campaign) -> list[PhaseProgress]:
    items = list(campaign.items.select_related("owner"))
    return [PhaseProgress(phase, label, [i for i in items if i.phase == phase])
            for phase, label in Phase.choices]


def campaigns_with_progress(cycle: EngagementCycle) -> QuerySet[Campaign]:
    annotations = {}
    for phase in Phase.values:
        annotations[f"phase{phase}_done"] = Count("items", filter=Q(items__phase=phase,
                                                                    items__done_on__isnull=False))
        annotations[f"phase{phase}_total"] = Count("items", filter=Q(items__phase=phase))
    return (Campaign.objects.filter(cycle=cycle).select_related("segment__parent")
            .annotate(**annotations))


def current_texts(segment) -> list[EngagementText]:
    """The current (highest) version of each text of a segment and of its customer groups."""
    texts = (EngagementText.objects.filter(MarketSegment.with_groups_q(segment))
             .select_related("segment__parent", "created_by")
             .order_by("segment_id", "kind", "touch_number", "medium", "-version"))
    current, seen = [], set()
    for text in texts:
        key = (text.segment_id, text.kind, text.touch_number, text.medium)
        if key not in seen:
            seen.add(key)
            current.append(text)
    return current


def text_versions(text: EngagementText) -> QuerySet[EngagementText]:
    return (EngagementText.objects.filter(segment=text.segment, kind=text.kind,
                                          touch_number=text.touch_number, medium=text.medium)
            .select_related("created_by").order_by("-version"))


COUNT_COLUMNS = [(c, d, COUNT_NAMES[c][0 if d == Direction.OUT else 1])
                 for c in Channel.values for d in (Direction.OUT, Direction.IN)]


def monthly_touch_counts(start, end) -> list[dict]:
    """Touch counts per month, offering and market segment, for the metrics app (Task 3.2.8):
    touches out, responses, and online meetings conducted."""
    from django.db.models.functions import Coalesce, TruncMonth

    from .models import Touch

    return list(
        Touch.objects.filter(occurred_on__gte=start, occurred_on__lte=end)
        .annotate(month=TruncMonth("occurred_on"),
                  segment_id=Coalesce("opportunity__account__segment__parent_id",
                                      "opportunity__account__segment_id"))
        .values("month", "opportunity__offering_id", "segment_id")
        .annotate(out=Count("id", filter=Q(direction=Direction.OUT)),
                  responses=Count("id", filter=Q(direction=Direction.IN)),
                  meetings=Count("id", filter=Q(direction=Direction.IN, channel=Channel.ONLINE_MEETING)))
        .order_by()
    )
