"""Reads on the shared model: the current cycle, the milestone overview, lists with filters."""

from dataclasses import dataclass, field

from django.db.models import QuerySet

from .choices import MilestoneState
from .milestones import MILESTONES, missing_for
from .models import EngagementCycle, Milestone


def current_cycle() -> EngagementCycle | None:
    return EngagementCycle.objects.filter(is_current=True).first()


@dataclass
class MilestoneStatus:
    milestone: Milestone
    missing: list[str] = field(default_factory=list)

    @property
    def definition(self):
        return MILESTONES[self.milestone.number]

    @property
    def ready(self) -> bool:
        return not self.missing

    @property
    def can_submit(self) -> bool:
        return self.ready and self.milestone.state in (MilestoneState.OPEN, MilestoneState.REJECTED)


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
    statuses = [MilestoneStatus(m, missing_for(m.number, cycle)) for m in milestones]
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
