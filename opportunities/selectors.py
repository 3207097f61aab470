"""Reads of the campaign and the Opportunity Manager: derived counts, figures and roll-ups.

Every count comes from the touch events. Each opportunity keeps its counts in step with its
touch log (`services.touch_log`, `services.recount_touches`), so a list page reads them with the
opportunities and never aggregates the whole touch table: a constant number of queries, each
bounded by the page.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd
import plotly.graph_objects as go
from django.db.models import (
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, TruncWeek
from django.utils import timezone

from oe21.choices import ActionItemStatus
from oe21.lib.memo import memoized
from oe21.lib.queries import SubqueryCount
from oe21.models import ActionItem, EngagementCycle, MarketSegment
from prioritization.selectors import high_value_rows, scored_assessments

from .choices import (
    COUNT_NAMES,
    ENGAGEMENT_STEPS,
    FUNNEL,
    STATUSES_NEEDING_REASON,
    Channel,
    Direction,
    LeadSource,
    Phase,
    ProposalOutcome,
    Status,
    StatusReason,
    TextKind,
)
from .formulas import (
    FormulaParameters,
    progress_points,
    progress_toward_purchase,
    sales_efficiency,
)
from .models import (
    Campaign,
    CampaignItem,
    CampaignTarget,
    Comment,
    EngagementText,
    FormulaSettings,
    Opportunity,
    Proposal,
)


def formula_parameters() -> FormulaParameters:
    """The admin's formula settings, or the standard's defaults when none are saved."""
    saved = FormulaSettings.objects.order_by("pk").first()
    if saved is None:
        return FormulaParameters()
    return FormulaParameters(saved.points_undecided, saved.points_interested,
                             saved.points_evaluating, saved.points_purchased, saved.maximum_points)


def count_key(channel: str, direction: str) -> str:
    return f"n_{channel}_{direction}"


def opportunities_with_counts(cycle: EngagementCycle) -> QuerySet[Opportunity]:
    """The cycle's opportunities with what their rows show (their touch counts are their own columns)."""
    return (Opportunity.objects.filter(cycle=cycle)
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
    """The derived figures of an opportunity, from its touch counts and steps."""
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
class PipelineColumn:
    status: str
    label: str
    total: int  # every opportunity in this status (with the filters)
    rows: list["OpportunityRow"]  # the first cards

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


def pipeline_columns(opportunities: QuerySet[Opportunity], *, cards: int) -> list[PipelineColumn]:
    """The pipeline board: per status its number of opportunities and the `cards` most recently
    changed (1 + one query per status, each bounded by `cards`, whatever the data size)."""
    totals = dict(opportunities.order_by().values_list("status").annotate(n=Count("pk")))
    parameters = formula_parameters()
    # The most recently changed first: an index serves it, where a sort by name would read the whole status.
    return [PipelineColumn(value, label, totals.get(value, 0),
                           opportunity_rows(opportunities.filter(status=value).order_by("-updated_at", "-pk")[:cards],
                                            parameters)
                           if totals.get(value) else [])
            for value, label in Status.choices]


@dataclass
class OpportunityRow:
    opportunity: Opportunity
    figures: OpportunityFigures


def account_comments(opportunity):
    """The comments on every opportunity of the opportunity's account in its cycle: the standard's
    limit of five is per customer or prospect."""
    return Comment.objects.filter(opportunity__account_id=opportunity.account_id,
                                  opportunity__cycle_id=opportunity.cycle_id)


def opportunity_rows(opportunities, parameters: FormulaParameters | None = None) -> list[OpportunityRow]:
    return list(opportunity_rows_iter(opportunities, parameters))


def opportunity_rows_iter(opportunities, parameters: FormulaParameters | None = None):
    """The rows one at a time (an export streams them without holding the table)."""
    parameters = parameters or formula_parameters()
    for opportunity in opportunities:
        yield OpportunityRow(opportunity, figures_for(opportunity, parameters))


def _person(first: str, last: str, username: str) -> str:
    # Full name and username: two people may share a name, never a username.
    full = f"{first} {last}".strip()
    return f"{full} ({username})" if full else username


ROLLUP_DIMENSIONS = {
    # key: (title, the columns grouped by, their row → the group's name)
    "salesperson": ("Salesperson", ["salesperson__first_name", "salesperson__last_name", "salesperson__username"],
                    lambda first, last, username: _person(first, last, username)),
    "offering": ("Offering", ["offering__name"], lambda name: name),
    "segment": ("Market segment", ["segment_name"], lambda name: name or "No segment"),
    "lead_source": ("Lead source", ["lead_source"], lambda value: LeadSource(value).label),
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


def rollup(opportunities: QuerySet[Opportunity], dimension: str) -> list[RollupRow]:
    """Status counts and sales efficiency per salesperson, offering, segment or lead source,
    counted by the database (one query, whatever the number of opportunities)."""
    _, columns, name = ROLLUP_DIMENSIONS[dimension]
    rows = opportunities.order_by()
    if "segment_name" in columns:  # the join to accounts and segments only where it is grouped by
        rows = rows.annotate(segment_name=Coalesce("account__segment__parent__name", "account__segment__name"))
    rows = (rows.values(*columns, "status").annotate(n=Count("pk"), out=Sum("n_out"), responses=Sum("n_in")))
    groups: dict[str, RollupRow] = {}
    for row in rows:
        group_name = name(*(row[c] for c in columns))
        group = groups.setdefault(group_name, RollupRow(group_name, dict.fromkeys(Status.values, 0)))
        group.statuses[row["status"]] += row["n"]
        group.touches_out += row["out"] or 0
        group.responses += row["responses"] or 0
    return sorted(groups.values(), key=lambda g: g.group)


def funnel(opportunities: QuerySet[Opportunity]) -> list[tuple[str, int, Decimal | None]]:
    """How many of the opportunities reached each funnel status (or a later one), and the share
    of the previous stage that got there (one query over the stored furthest stage)."""
    by_stage = dict(opportunities.order_by().values_list("furthest_stage").annotate(n=Count("pk")))
    total = sum(by_stage.values())
    result = [("All opportunities", total, None)]
    previous = total
    for index, status in enumerate(FUNNEL):
        reached = sum(n for level, n in by_stage.items() if level is not None and level >= index)
        share = (Decimal(100) * reached / previous).quantize(Decimal("0.1")) if previous else None
        result.append((Status(status).label, reached, share))
        previous = reached
    return result


def reason_counts(opportunities: QuerySet[Opportunity]) -> dict[str, int]:
    """Why opportunities stalled: reasons of those now in No progress, Unsubscribed or Not interested."""
    counts = dict.fromkeys(StatusReason.labels, 0)
    for reason, n in (opportunities.filter(status__in=STATUSES_NEEDING_REASON).exclude(status_reason="")
                      .order_by().values_list("status_reason").annotate(n=Count("pk"))):
        counts[StatusReason(reason).label] += n
    return counts


TOUCH_CHART_WEEKS = 26


def touches_per_week_chart(opportunities: QuerySet[Opportunity], today=None) -> go.Figure | None:
    """A Plotly chart of the opportunities' touches out and responses per week over the last
    TOUCH_CHART_WEEKS weeks (None without touches)."""
    from .models import Touch

    since = (today or timezone.localdate()) - datetime.timedelta(weeks=TOUCH_CHART_WEEKS)
    data = list(Touch.objects.filter(opportunity__in=opportunities.order_by().values("pk"), occurred_on__gte=since)
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
            .annotate(**annotations, n_targets=SubqueryCount(CampaignTarget.objects.filter(campaign=OuterRef("pk")))))


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


# What milestones 2–4 check (SPEC §9) ------------------------------------------------------------

def engaged_opportunities(cycle: EngagementCycle) -> QuerySet[Opportunity]:
    """Milestone 4's test of a target account: an opportunity in the cycle with at least one touch
    logged and a status other than "No progress"."""
    return (Opportunity.objects.filter(cycle=cycle).filter(Q(n_out__gt=0) | Q(n_in__gt=0))
            .exclude(status=Status.NO_PROGRESS))


def campaigns_for_milestones(cycle: EngagementCycle) -> list[Campaign]:
    """The cycle's campaigns, each carrying what milestones 2–4 ask of it, in one query (read
    once per page): `n_targets` (T1), `n_contacts` (targets with a person to reach, T4),
    `n_not_engaged` (targets without an engaged opportunity, milestone 4), the Phase 2 products —
    `has_value_proposition` (for the segment), `groups_without_value_proposition` (its customer
    groups), `has_touch_1`, `has_voice_mail`, `has_telephone_dialogue` (for the segment or a group)
    — and `unreviewed_action_items` (the cycle's, the same on every campaign)."""
    def read():
        targets = CampaignTarget.objects.filter(campaign=OuterRef("pk"))
        engaged = engaged_opportunities(cycle).filter(account=OuterRef("account"))

        def text(kind, **extra):
            return Exists(EngagementText.objects.filter(
                Q(segment=OuterRef("segment")) | Q(segment__parent=OuterRef("segment")), kind=kind, **extra))

        groups_without = (MarketSegment.objects.filter(parent=OuterRef("segment"))
                          .filter(~Exists(EngagementText.objects.filter(segment=OuterRef("pk"),
                                                                        kind=TextKind.VALUE_PROPOSITION))))
        return list(Campaign.objects.filter(cycle=cycle).select_related("segment__parent").annotate(
            n_targets=SubqueryCount(targets), n_contacts=SubqueryCount(targets.filter(contact__isnull=False)),
            n_not_engaged=SubqueryCount(targets.filter(~Exists(engaged))),
            has_value_proposition=Exists(EngagementText.objects.filter(segment=OuterRef("segment"),
                                                                      kind=TextKind.VALUE_PROPOSITION)),
            groups_without_value_proposition=SubqueryCount(groups_without),
            has_touch_1=text(TextKind.TOUCH, touch_number=1), has_voice_mail=text(TextKind.VOICE_MAIL),
            has_telephone_dialogue=text(TextKind.TELEPHONE_DIALOGUE),
            unreviewed_action_items=SubqueryCount(action_items_to_review(cycle)),
        ).order_by("segment__name"))
    return memoized(("campaigns_for_milestones", cycle.pk), read)


def action_items_to_review(cycle: EngagementCycle) -> QuerySet[ActionItem]:
    """Open items on the cycle's Action Plan tabs (its assessments' and opportunities') that the
    CFT has neither taken into the Customer Excellence Action Plan nor left out (Task 3.2.7)."""
    return ActionItem.objects.filter(
        Q(source_kind="opportunity", source_id__in=Opportunity.objects.filter(cycle=cycle).values("pk"))
        | Q(source_kind="assessment", source_id__in=scored_assessments(cycle).values("pk")),
        status=ActionItemStatus.OPEN, plan_task__isnull=True, plan_reviewed_at__isnull=True).order_by()


def segments_targeted_without_campaign(cycle: EngagementCycle) -> QuerySet[MarketSegment]:
    """Segments (or customer groups) whose accounts hold high-value rows of the cycle's matrix but
    which have no campaign in the cycle, neither their own nor their segment's."""
    campaign = Campaign.objects.filter(cycle=cycle)
    holds_targets = Exists(high_value_rows(cycle).filter(account__segment=OuterRef("pk")))
    return (MarketSegment.objects.filter(holds_targets)
            .filter(~Exists(campaign.filter(segment=OuterRef("pk"))),
                    ~Exists(campaign.filter(segment=OuterRef("parent"))))
            .select_related("parent").order_by("name"))


def campaign_targets(campaign: Campaign, *, not_engaged: bool = False) -> QuerySet[CampaignTarget]:
    """A campaign's targets, best matrix score first, each with `engaged`: whether the account has
    an opportunity in the cycle with a touch logged and a status past "No progress"."""
    engaged = engaged_opportunities(campaign.cycle).filter(account=OuterRef("account"))
    latest = (Opportunity.objects.filter(cycle=campaign.cycle, account=OuterRef("account"))
              .order_by("-updated_at", "-pk").values("pk")[:1])
    rows = (campaign.targets.select_related("account__segment__parent", "contact", "added_by")
            .annotate(engaged=Exists(engaged), opportunity_id=Subquery(latest))
            .order_by(F("score").desc(nulls_last=True), "account__name", "pk"))
    return rows.filter(engaged=False) if not_engaged else rows


# What the early warning (metrics.risk) reads of the touch log ---------------------------------------

@dataclass(frozen=True)
class TouchActivity:
    """An account's touches (over its opportunities) in the `days` up to a day, and in the `days` before."""

    out_recent: int = 0
    in_recent: int = 0
    out_earlier: int = 0
    in_earlier: int = 0
    touched_within: bool = False  # any touch in the last `quiet_days`


def touch_activity_by_account(as_of: datetime.date, *, days: int = 90, quiet_days: int = 60,
                              ) -> dict[int, TouchActivity]:
    """{account id: TouchActivity} for every account touched in the 2 × `days` up to `as_of`: one
    grouped query over that window of the touch log (read by its date index)."""
    from .models import Touch

    recent_from = as_of - datetime.timedelta(days=days)
    earlier_from = as_of - datetime.timedelta(days=2 * days)
    quiet_from = as_of - datetime.timedelta(days=quiet_days)
    rows = (Touch.objects.filter(occurred_on__gt=earlier_from, occurred_on__lte=as_of)
            .values("opportunity__account_id").order_by()
            .annotate(out_recent=Count("pk", filter=Q(direction=Direction.OUT, occurred_on__gt=recent_from)),
                      in_recent=Count("pk", filter=Q(direction=Direction.IN, occurred_on__gt=recent_from)),
                      out_earlier=Count("pk", filter=Q(direction=Direction.OUT, occurred_on__lte=recent_from)),
                      in_earlier=Count("pk", filter=Q(direction=Direction.IN, occurred_on__lte=recent_from)),
                      quiet=Count("pk", filter=Q(occurred_on__gt=quiet_from))))
    return {r["opportunity__account_id"]: TouchActivity(r["out_recent"], r["in_recent"], r["out_earlier"],
                                                         r["in_earlier"], r["quiet"] > 0) for r in rows}


def accounts_in_the_pipeline(as_of: datetime.date) -> set[int]:
    """Accounts with an opportunity opened on or before `as_of`."""
    return set(Opportunity.objects.filter(created_at__date__lte=as_of).values_list("account_id", flat=True)
               .distinct().order_by())


def inbound_touches_between(start: datetime.date, end: datetime.date) -> set[int]:
    """Accounts that responded (an inbound touch) between two days, both included."""
    from .models import Touch

    return set(Touch.objects.filter(direction=Direction.IN, occurred_on__gte=start, occurred_on__lte=end)
               .values_list("opportunity__account_id", flat=True).distinct().order_by())


# What the outcome calibration of the matrix (prioritization.calibration) reads -----------------------

ENDED = [Status.PURCHASED, Status.NOT_INTERESTED, Status.UNSUBSCRIBED]


def closed_outcomes() -> list[tuple[int, int, int, bool]]:
    """(cycle id, account id, offering id, purchased) of every opportunity that ended: Purchased
    against Not interested or Unsubscribed."""
    return [(cycle, account, offering, status == Status.PURCHASED) for cycle, account, offering, status in
            Opportunity.objects.filter(status__in=ENDED).order_by("pk")
            .values_list("cycle_id", "account_id", "offering_id", "status")]


def closed_outcomes_fingerprint() -> tuple:
    """What changes whenever `closed_outcomes()` may: how many opportunities there are, how many
    ended, the latest change and the highest id (the calibration's cache key)."""
    found = Opportunity.objects.aggregate(n=Count("pk"), ended=Count("pk", filter=Q(status__in=ENDED)),
                                          last=Max("updated_at"), top=Max("pk"))
    return tuple(sorted(found.items()))


# What the engaged customers' business case (metrics.business_case) reads -----------------------------

def accepted_proposals_by_account(start: datetime.date, end: datetime.date) -> dict[int, tuple[Decimal, int]]:
    """{account id: (Σ value, how many)} of the accepted proposals sent from `start` to `end`."""
    return {account: (revenue, n) for account, revenue, n in
            Proposal.objects.filter(outcome=ProposalOutcome.ACCEPTED, sent_on__range=(start, end)).order_by()
            .values_list("opportunity__account_id").annotate(revenue=Sum("value"), n=Count("pk"))}
