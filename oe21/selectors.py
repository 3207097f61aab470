"""Reads on the shared model: the current cycle, the milestone overview, lists with filters."""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet

from . import registry, roles
from .choices import MilestoneState
from .milestones import MILESTONES, missing_for
from .models import ActionItem, EngagementCycle, Milestone

# Who works on the standard's records: task owners are chosen from these roles.
TEAM_ROLES = (roles.CFT_MEMBER, roles.LFT_CHAIR, roles.OFT_MEMBER)


def members_with_roles(*role_names: str, active_only: bool = False) -> QuerySet:
    """The users who have one of the roles (groups), each once, by username."""
    users = get_user_model().objects.filter(groups__name__in=role_names)
    if active_only:
        users = users.filter(is_active=True)
    return users.distinct().order_by("username")


def team_members() -> QuerySet:
    """The people a task, an item or a record can be given to (CFT, chair, OFT)."""
    return members_with_roles(*TEAM_ROLES)


# The Customer Focus Team as the monthly review counts it: its members and the LFT chair who leads it.
CFT_TEAM_ROLES = (roles.CFT_MEMBER, roles.LFT_CHAIR)


def cft_team() -> QuerySet:
    """The active members of the CFT (the people a review's quorum is counted from)."""
    return members_with_roles(*CFT_TEAM_ROLES, active_only=True)


def quorum(team_size: int) -> int:
    """More than half of the team: 3 of 4, 3 of 5; at least 1."""
    return max(1, team_size // 2 + 1)


def salespeople() -> QuerySet:
    """The people who may own an opportunity: the CFT, the chair and the sales team."""
    return members_with_roles(roles.CFT_MEMBER, roles.LFT_CHAIR, *roles.SALES_ROLES)


def current_cycle() -> EngagementCycle | None:
    return EngagementCycle.objects.filter(is_current=True).first()


def cycles_with_progress() -> list[EngagementCycle]:
    """Every cycle, newest first, each with `approved` (how many of its milestones are approved)."""
    return list(EngagementCycle.objects.annotate(
        approved=Count("milestones", filter=Q(milestones__state=MilestoneState.APPROVED))).order_by("-starts_on"))


def next_cycle_suggestion(today: datetime.date | None = None) -> dict:
    """The form's defaults: the year after the latest cycle (or from today on a fresh install)."""
    latest = EngagementCycle.objects.order_by("-ends_on").first()
    starts = latest.ends_on + datetime.timedelta(days=1) if latest else (today or datetime.date.today())
    ends = starts.replace(year=starts.year + 1) - datetime.timedelta(days=1) if not (
        starts.month == 2 and starts.day == 29) else datetime.date(starts.year + 1, 2, 28)
    return {"name": f"FY{ends.year}", "starts_on": starts, "ends_on": ends}


@dataclass
class MilestoneStatus:
    milestone: Milestone
    missing: list[str] = field(default_factory=list)
    # The earliest milestone before this one that is not approved yet: milestones are approved in order.
    waits_for: Milestone | None = None

    @property
    def definition(self):
        return MILESTONES[self.milestone.number]

    @property
    def ready(self) -> bool:
        return not self.missing

    @property
    def can_submit(self) -> bool:
        return self.ready and self.milestone.state in (MilestoneState.OPEN, MilestoneState.REJECTED)

    @property
    def can_approve(self) -> bool:
        """Submitted, and next in order (every earlier milestone approved)."""
        return self.milestone.state == MilestoneState.SUBMITTED and self.waits_for is None


@dataclass
class MilestoneOverview:
    """Everything the intranet main page shows about a cycle (SPEC §9)."""

    cycle: EngagementCycle
    statuses: list[MilestoneStatus]

    @property
    def progress(self) -> int:
        """Approved progress: the percentage of the highest milestone approved in order."""
        reached = 0
        for status in self.statuses:
            if status.milestone.state != MilestoneState.APPROVED:
                break
            reached = status.definition.progress
        return reached

    @property
    def pending(self) -> list[MilestoneStatus]:
        return [s for s in self.statuses if s.milestone.state == MilestoneState.SUBMITTED]

    @property
    def next_step(self) -> MilestoneStatus | None:
        """The first milestone not yet approved: what the teams work on next."""
        for status in self.statuses:
            if status.milestone.state != MilestoneState.APPROVED:
                return status
        return None


def milestone_overview(cycle: EngagementCycle) -> MilestoneOverview:
    milestones = list(
        Milestone.objects.filter(cycle=cycle).select_related("submitted_by", "decided_by")
        .order_by("number")
    )
    statuses, unapproved = [], None
    for m in milestones:
        statuses.append(MilestoneStatus(m, missing_for(m.number, cycle), waits_for=unapproved))
        if unapproved is None and m.state != MilestoneState.APPROVED:
            unapproved = m
    return MilestoneOverview(cycle=cycle, statuses=statuses)


def milestones_for_cycle(cycle: EngagementCycle) -> QuerySet[Milestone]:
    return Milestone.objects.filter(cycle=cycle).order_by("number")


def lifecycle_history(account) -> list[tuple]:
    """The dated history of an account's lifecycle stage (seed 002): (when, stage, who), oldest first."""
    from .choices import LifecycleStage

    changes, previous = [], None
    for record in account.history.select_related("history_user").order_by("history_date", "history_id"):
        if record.lifecycle_stage != previous:
            changes.append((record.history_date, LifecycleStage(record.lifecycle_stage).label, record.history_user))
            previous = record.lifecycle_stage
    return changes


def accounts_by_stage(accounts) -> list[tuple[str, int]]:
    """How many of the listed accounts are in each lifecycle stage."""
    from django.db.models import Count

    from .choices import LifecycleStage

    counts = dict(accounts.order_by().values_list("lifecycle_stage").annotate(n=Count("id")))
    return [(label, counts.get(value, 0)) for value, label in LifecycleStage.choices]


def current_cycle_or_404() -> EngagementCycle:
    """The current engagement cycle, for pages that cannot work without one."""
    from django.http import Http404

    cycle = current_cycle()
    if cycle is None:
        raise Http404("There is no current engagement cycle.")
    return cycle


def action_items_with_labels(items: QuerySet[ActionItem]) -> list[ActionItem]:
    """The items, each with `source_label` naming the record it was decided on, in 1 + one query
    per kind of source (the registered `related` paths are fetched with it)."""
    items = list(items.select_related("owner", "source_type"))
    sources = registry.action_sources()
    by_type: dict[int, list[ActionItem]] = {}
    for item in items:
        by_type.setdefault(item.source_type_id, []).append(item)
    for group in by_type.values():
        source = sources.get(group[0].source_kind)
        model = group[0].source_type.model_class()
        records = model._default_manager.select_related(*(source.related if source else ())).in_bulk(
            {item.source_id for item in group})
        for item in group:
            record = records.get(item.source_id)
            item.source_label = (source.label(record) if source and record
                                 else f"{group[0].source_type.name.capitalize()} (removed)")
    return items


def action_items_of(record) -> dict:
    """The filter that selects the action items (and their history) decided on `record`."""
    from django.contrib.contenttypes.models import ContentType

    return {"source_type_id": ContentType.objects.get_for_model(record).pk, "source_id": record.pk}
