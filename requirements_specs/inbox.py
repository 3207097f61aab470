"""The approvals inbox (main page): specifications under review, proposed action-plan tasks and
offerings waiting for the continue/discontinue decision — each for whoever decides it — and, for
whoever submitted them, their state."""

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from oe21.registry import InboxItem, inbox_source
from oe21.words import person

from .choices import PlanTaskStatus, SpecStatus
from .models import ActionPlanTask, RequirementSpec
from .selectors import value_contribution_gaps

SHOWN = 20  # items of each kind
RECENT = datetime.timedelta(days=14)  # how long a submitter sees the decision on what they submitted


def _name(user) -> str:
    return person(user) if user else ""


@inbox_source("requirements_specs.specs")
def specs(user, cycle) -> list[InboxItem]:
    approver = user.has_perm("requirements_specs.approve_requirementspec")
    mine = Q(created_by=user) & (Q(status=SpecStatus.UNDER_REVIEW) | Q(approved_at__gte=timezone.now() - RECENT))
    wanted = (Q(status=SpecStatus.UNDER_REVIEW) | mine) if approver else mine
    items = []
    for spec in (RequirementSpec.objects.filter(wanted).select_related("offering", "created_by")
                 .order_by("updated_at")[:SHOWN]):
        waiting = spec.status == SpecStatus.UNDER_REVIEW
        items.append(InboxItem(
            kind="Requirements specification", title=str(spec), url=spec.get_absolute_url(),
            state=("waits for your approval" if approver else "waits for approval") if waiting else "approved",
            who=_name(spec.created_by), when=spec.approved_at or spec.updated_at,
            for_me=approver and waiting and spec.created_by_id != user.pk))
    return items


@inbox_source("requirements_specs.plan_tasks")
def plan_tasks(user, cycle) -> list[InboxItem]:
    approver = user.has_perm("requirements_specs.approve_actionplantask")
    mine = Q(proposed_by=user) & (Q(status=PlanTaskStatus.PROPOSED) | Q(decided_at__gte=timezone.now() - RECENT))
    wanted = (Q(status=PlanTaskStatus.PROPOSED) | mine) if approver else mine
    items = []
    for task in (ActionPlanTask.objects.filter(wanted).select_related("proposed_by")
                 .order_by("created_at")[:SHOWN]):
        waiting = task.status == PlanTaskStatus.PROPOSED
        items.append(InboxItem(
            kind="Action-plan task", title=str(task), url=reverse("requirements_specs:plan") + f"#task-{task.pk}",
            state=("waits for your approval" if approver else "waits for the LFT chair") if waiting
            else task.get_status_display().lower(),
            who=_name(task.proposed_by), when=task.decided_at or task.created_at, for_me=approver and waiting))
    return items


@inbox_source("requirements_specs.offering_decisions")
def offering_decisions(user, cycle) -> list[InboxItem]:
    if cycle is None or not cycle.is_current or not user.has_perm("requirements_specs.decide_offering"):
        return []
    return [InboxItem(kind="Continue/discontinue decision", title=f"{offering.name}: below the margin threshold",
                      url=reverse("requirements_specs:portfolio") + f"#offering-{offering.pk}",
                      state="waits for your decision")
            for offering in value_contribution_gaps(cycle).awaiting_decision[:SHOWN]]
