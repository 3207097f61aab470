"""Reads of Tasks 3.2.4–3.2.7: specification versions and diffs, documents, the portfolio, the plan."""

import datetime
import difflib
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import Decimal

import plotly.express as px
import plotly.graph_objects as go
from django.db.models import Avg, Count, Exists, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.html import escape

from oe21.choices import OfferingStatus
from oe21.lib.memo import memoized
from oe21.milestones import Missing, first_missing
from oe21.models import ActionItem, EngagementCycle, Offering
from oe21.registry import action_sources
from oe21.selectors import action_items_with_labels

from .choices import SPEC_INPUTS, PlanTaskStatus, SpecStatus
from .models import (
    ActionPlanTask,
    DocumentDistribution,
    OfferingCost,
    OfferingDecision,
    OfferingDocument,
    OfferingReview,
    PortfolioSettings,
    RequirementSpec,
)
from .value import below_threshold, contribution, margin_percent

DEFAULT_MARGIN_THRESHOLD = Decimal(20)


def margin_threshold() -> Decimal:
    saved = PortfolioSettings.objects.order_by("pk").first()
    return saved.margin_threshold_percent if saved else DEFAULT_MARGIN_THRESHOLD


def offerings_with_latest_spec() -> list[tuple]:
    """Each offering (with its document count) and its newest specification version, or None."""
    offerings = Offering.objects.annotate(n_documents=Count("documents", distinct=True))
    latest = {}
    for spec in RequirementSpec.objects.order_by("offering_id", "version"):
        latest[spec.offering_id] = spec
    return [(o, latest.get(o.pk)) for o in offerings]


def previous_version(spec: RequirementSpec) -> RequirementSpec | None:
    return (RequirementSpec.objects.filter(offering=spec.offering, version__lt=spec.version)
            .order_by("-version").first())


def voice_of_customer(offering) -> dict:
    """Input (j) of a specification, linked not retyped: the offering's ratings, complaints and
    prioritization assessments, read through the apps that own them."""
    from metrics.selectors import offering_voice
    from prioritization.selectors import assessment_count

    return {**offering_voice(offering), "assessments": assessment_count(offering)}


def spec_versions(offering) -> list[RequirementSpec]:
    return list(RequirementSpec.objects.filter(offering=offering).select_related("created_by", "approved_by"))


@dataclass
class FieldChange:
    label: str
    old: str
    new: str
    html: str  # a side-by-side diff table for long text, or "" when unchanged


def spec_diff(old: RequirementSpec, new: RequirementSpec) -> list[FieldChange]:
    """What changed between two versions, field by field, with a side-by-side diff of text."""
    changes = []
    for field, letter, label in SPEC_INPUTS:
        before, after = getattr(old, field), getattr(new, field)
        if before == after:
            continue
        before_text, after_text = ("" if before is None else str(before)), ("" if after is None else str(after))
        table = difflib.HtmlDiff(wrapcolumn=60).make_table(
            escape(before_text).splitlines() or [""], escape(after_text).splitlines() or [""],
            f"v{old.version}", f"v{new.version}", context=False)
        changes.append(FieldChange(f"({letter}) {label}", before_text, after_text, table))
    return changes


def current_documents(offering) -> list[OfferingDocument]:
    """The newest version of each kind of document of an offering, with their distributions."""
    documents = (OfferingDocument.objects.filter(offering=offering).select_related("uploaded_by")
                 .prefetch_related("distributions__team", "distributions__account", "distributions__distributed_by"))
    current, seen = [], set()
    for document in documents:
        if document.kind not in seen:
            seen.add(document.kind)
            current.append(document)
    return current


@dataclass
class PortfolioRow:
    offering: Offering
    revenue: Decimal
    cost_of_goods_sold: Decimal
    units: int
    cycle_days: dict
    decision: OfferingDecision | None
    threshold: Decimal

    @property
    def contribution(self) -> Decimal:
        return contribution(revenue=self.revenue, cost_of_goods_sold=self.cost_of_goods_sold)

    @property
    def margin(self) -> Decimal | None:
        return margin_percent(revenue=self.revenue, cost_of_goods_sold=self.cost_of_goods_sold)

    @property
    def flagged(self) -> bool:
        return below_threshold(self.margin, self.threshold)


def portfolio(*, period_from: datetime.date | None = None, period_to: datetime.date | None = None,
              include_discontinued: bool = False) -> list[PortfolioRow]:
    """Task 3.2.6: offerings ranked by contribution over a period (a cycle's dates: the totals of
    milestone 6), flagged below the margin threshold, with the latest decision taken in the period."""
    costs = OfferingCost.objects.all()
    decisions = OfferingDecision.objects.all()
    if period_from:
        costs = costs.filter(period__gte=period_from)
        decisions = decisions.filter(created_at__date__gte=period_from)
    if period_to:
        costs = costs.filter(period__lte=period_to)
        decisions = decisions.filter(created_at__date__lte=period_to)
    totals = {row["offering_id"]: row for row in costs.values("offering_id").annotate(
        revenue=Sum("revenue"), cogs=Sum("cost_of_goods_sold"), units=Sum("units"), n=Count("id"),
        design=Avg("design_days"), produce=Avg("produce_days"), deliver=Avg("deliver_days"),
        support=Avg("support_days")).order_by()}
    offerings = Offering.objects.all() if include_discontinued else \
        Offering.objects.exclude(status=OfferingStatus.DISCONTINUED)
    latest_decision = {}
    for decision in decisions.select_related("decided_by").order_by("created_at"):
        latest_decision[decision.offering_id] = decision
    threshold = margin_threshold()
    rows = [PortfolioRow(o, totals[o.pk]["revenue"], totals[o.pk]["cogs"], totals[o.pk]["units"] or 0,
                         {k: totals[o.pk][k] for k in ("design", "produce", "deliver", "support")},
                         latest_decision.get(o.pk), threshold)
            for o in offerings if o.pk in totals]
    return sorted(rows, key=lambda r: r.contribution, reverse=True)


def portfolio_chart(rows: list[PortfolioRow]) -> go.Figure | None:
    if not rows:
        return None
    colours = ["#dc3545" if r.flagged else "#198754" for r in rows]
    figure = go.Figure(go.Bar(x=[r.offering.name for r in rows], y=[float(r.contribution) for r in rows],
                              marker_color=colours,
                              text=[f"{r.margin} %" if r.margin is not None else "no revenue" for r in rows]))
    figure.update_layout(title="Contribution by offering (red: below the margin threshold)", height=360,
                         margin={"l": 60, "r": 20, "t": 50, "b": 80}, yaxis_title="Contribution")
    return figure


def plan_tasks():
    return ActionPlanTask.objects.select_related("owner", "proposed_by", "decided_by", "source_item", "measure")


@dataclass(frozen=True)
class TaskOnMeasure:
    """An approved action-plan task that should move a measure, and when it started."""

    description: str
    measure_id: int
    start_on: datetime.date
    status: str


def tasks_on_measures(*, started_before: datetime.date, limit: int = 50) -> list[TaskOnMeasure]:
    """The approved, in-progress or done plan tasks linked to a measure that started before a day,
    newest start first (Task 3.2.9 reads each measure before and after)."""
    rows = (ActionPlanTask.objects.filter(measure__isnull=False, start_on__lt=started_before,
                                          status__in=[PlanTaskStatus.APPROVED, PlanTaskStatus.IN_PROGRESS,
                                                      PlanTaskStatus.DONE])
            .order_by("-start_on", "pk").values_list("description", "measure_id", "start_on", "status")[:limit])
    return [TaskOnMeasure(*row) for row in rows]


def budget_by_status(tasks) -> list[tuple[str, Decimal, int]]:
    sums = {row["status"]: (row["total"], row["n"]) for row in
            tasks.values("status").annotate(total=Sum("budget"), n=Count("id")).order_by()}
    return [(label, sums.get(value, (Decimal(0), 0))[0], sums.get(value, (0, 0))[1])
            for value, label in PlanTaskStatus.choices]


def plan_timeline(tasks) -> go.Figure | None:
    """A Plotly timeline of the approved and running tasks with dates."""
    rows = [{"Task": t.description[:50], "Start": t.start_on, "Due": t.due_on, "Status": t.get_status_display()}
            for t in tasks if t.start_on and t.due_on and t.status not in (PlanTaskStatus.REJECTED,)]
    if not rows:
        return None
    for row in rows:  # a one-day task still shows as a bar
        if row["Due"] == row["Start"]:
            row["Due"] = row["Start"] + datetime.timedelta(days=1)
    figure = px.timeline(rows, x_start="Start", x_end="Due", y="Task", color="Status",
                         title="Customer Excellence Action Plan")
    figure.update_yaxes(autorange="reversed")
    figure.update_layout(height=160 + 30 * len(rows), margin={"l": 20, "r": 20, "t": 50, "b": 40})
    return figure


def offerings_missing_information(cycle) -> list[str]:
    """What milestone 5 still needs in `cycle`: for every active offering, a specification approved
    in the cycle and a document uploaded and distributed (to a team, customer or stakeholder) in it
    — or both re-confirmed "reviewed, no change" in it (an OfferingReview). "In the cycle" is from
    its opening to the next one's (one query; the first offerings, and how many more)."""
    # Until the next cycle opened, or for ever while this is the latest (a subquery, not a query).
    closed = Coalesce(Subquery(EngagementCycle.objects.filter(created_at__gt=cycle.created_at)
                               .order_by("created_at").values("created_at")[:1]),
                      Value(datetime.datetime.max.replace(tzinfo=datetime.UTC)))
    reviewed = OfferingReview.objects.filter(offering=OuterRef("pk"), cycle=cycle)
    approved = RequirementSpec.objects.filter(offering=OuterRef("pk"), status=SpecStatus.APPROVED,
                                              approved_at__gte=cycle.created_at, approved_at__lt=closed)
    uploaded = OfferingDocument.objects.filter(offering=OuterRef("pk"), created_at__gte=cycle.created_at,
                                               created_at__lt=closed)
    given = DocumentDistribution.objects.filter(document__offering=OuterRef("pk"),
                                                distributed_at__gte=cycle.created_at, distributed_at__lt=closed)
    offerings = (Offering.objects.filter(status=OfferingStatus.ACTIVE)
                 .annotate(approved=Exists(approved) | Exists(reviewed), documented=Exists(uploaded) | Exists(reviewed),
                           distributed=Exists(given) | Exists(reviewed))
                 .filter(Q(approved=False) | Q(documented=False) | Q(distributed=False)).order_by("name"))
    return first_missing(offerings, "offerings missing their specification or information",
                         lambda offering: _information_missing(offering, cycle))


def _information_missing(offering, cycle) -> list[Missing]:
    missing = []
    if not offering.approved:
        missing.append(Missing(f"Offering “{offering.name}” has no requirements specification approved in "
                               f"{cycle} (approve a version, or re-confirm the approved one: reviewed, no change).",
                               reverse("requirements_specs:spec_list", args=[offering.pk])))
    if not offering.documented:
        missing.append(Missing(f"Offering “{offering.name}” has no offering information document uploaded in "
                               f"{cycle} (upload a version, or re-confirm: reviewed, no change).",
                               reverse("requirements_specs:documents", args=[offering.pk])))
    elif not offering.distributed:
        missing.append(Missing(f"Offering “{offering.name}”'s information was not given to anyone in {cycle}: "
                               "record which teams, customers or stakeholders received it.",
                               reverse("requirements_specs:documents", args=[offering.pk])))
    return missing


@dataclass
class ValueContributionGaps:
    without_costs: list[Offering]  # active offerings with no costs and revenue in the cycle
    # Offerings still offered with no continue/improve/discontinue decision in the cycle: those below the
    # margin threshold first (largest contribution first), then the others by name.
    awaiting_decision: list[Offering]
    without_cycle_times: list[Offering] = dataclass_field(default_factory=list)  # costs, but no cycle days in the cycle
    below_threshold: set = dataclass_field(default_factory=set)  # ids of the offerings below the margin threshold


def value_contribution_gaps(cycle) -> ValueContributionGaps:
    """What milestone 6 still needs in `cycle` — and what the LFT chair's inbox lists — in one
    query (the threshold is a subquery); the main page reads it once for both (`memoized`)."""
    return memoized(("value_contribution_gaps", cycle.pk), lambda: _value_contribution_gaps(cycle))


def _value_contribution_gaps(cycle) -> ValueContributionGaps:
    costs = OfferingCost.objects.filter(offering=OuterRef("pk"), period__gte=cycle.starts_on,
                                        period__lte=cycle.ends_on).order_by().values("offering")
    decided = OfferingDecision.objects.filter(offering=OuterRef("pk"), created_at__date__gte=cycle.starts_on,
                                              created_at__date__lte=cycle.ends_on)
    # Active offerings need costs; any offering still offered (active or under review) with costs
    # below the threshold needs the decision.
    timed = costs.filter(Q(design_days__isnull=False) | Q(produce_days__isnull=False)
                         | Q(deliver_days__isnull=False) | Q(support_days__isnull=False))
    # Active offerings need costs and cycle times; every offering still offered (active or under
    # review) with costs needs the decision — those below the threshold first.
    offerings = Offering.objects.exclude(status=OfferingStatus.DISCONTINUED).order_by("name").annotate(
        revenue=Subquery(costs.annotate(total=Sum("revenue")).values("total")),
        cogs=Subquery(costs.annotate(total=Sum("cost_of_goods_sold")).values("total")),
        timed=Exists(timed), decided=Exists(decided),
        threshold=Subquery(PortfolioSettings.objects.order_by("pk").values("margin_threshold_percent")[:1]))
    without_costs, without_times, flagged, undecided, below = [], [], [], [], set()
    for offering in offerings:
        threshold = DEFAULT_MARGIN_THRESHOLD if offering.threshold is None else offering.threshold
        if offering.revenue is None:
            if offering.status == OfferingStatus.ACTIVE:
                without_costs.append(offering)
            continue
        if not offering.timed and offering.status == OfferingStatus.ACTIVE:
            without_times.append(offering)
        if offering.decided:
            continue
        if below_threshold(margin_percent(revenue=offering.revenue, cost_of_goods_sold=offering.cogs), threshold):
            below.add(offering.pk)
            flagged.append((contribution(revenue=offering.revenue, cost_of_goods_sold=offering.cogs), offering))
        else:
            undecided.append(offering)
    flagged.sort(key=lambda pair: pair[0], reverse=True)
    return ValueContributionGaps(without_costs, [offering for _, offering in flagged] + undecided,
                                 without_times, below)


def offerings_missing_value_contribution(cycle) -> list[str]:
    """Milestone 6's missing items, in words."""
    gaps = value_contribution_gaps(cycle)
    portfolio = reverse("requirements_specs:portfolio")
    costs = reverse("requirements_specs:cost_create")
    return ([Missing(f"Offering “{o.name}” has no costs and revenue recorded in {cycle}.", f"{costs}?offering={o.pk}")
             for o in gaps.without_costs]
            + [Missing(f"Offering “{o.name}” has no cycle times (design, produce, deliver, support days) recorded "
                       f"in {cycle}.", f"{costs}?offering={o.pk}") for o in gaps.without_cycle_times]
            + [Missing(f"Offering “{o.name}” needs the LFT chair's continue/improve/discontinue decision for {cycle}"
                       + (" (it is below the margin threshold)." if o.pk in gaps.below_threshold else "."),
                       f"{portfolio}#offering-{o.pk}") for o in gaps.awaiting_decision])


@dataclass
class PlanCandidate:
    source: str  # the kind of record the item was decided on: "assessment", "opportunity", "review"
    label: str
    item: ActionItem


def plan_candidates(limit: int = 50) -> list[PlanCandidate]:
    """Action items of assessments (3.2.1), opportunities (3.2.3) and monthly reviews (3.2.9)
    that are not in the plan yet, up to `limit` of each kind, kinds in the order registered."""
    kinds = list(action_sources())
    candidates = []
    for kind in kinds:
        waiting = (ActionItem.objects.filter(plan_task__isnull=True, plan_reviewed_at__isnull=True, source_kind=kind)
                   .order_by("due_on", "pk"))
        candidates += [PlanCandidate(kind, item.source_label, item)
                       for item in action_items_with_labels(waiting[:limit])]
    return candidates


def plan_candidate(source: str, pk: int) -> PlanCandidate | None:
    """One item not in the plan yet, or None."""
    waiting = ActionItem.objects.filter(plan_task__isnull=True, plan_reviewed_at__isnull=True, source_kind=source,
                                        pk=pk)
    items = action_items_with_labels(waiting)
    return PlanCandidate(source, items[0].source_label, items[0]) if items else None
