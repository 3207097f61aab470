"""Writes on the shared model: engagement cycles and the milestone approval workflow (SPEC §9)."""

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from . import registry
from .choices import ActionItemStatus, MilestoneState
from .cycles import check_cycle_open
from .lib.records import model_create, model_update
from .milestones import MILESTONES, missing_for
from .models import ActionItem, EngagementCycle, MarketSegment, Milestone
from .notifications import notify
from .outbox import send_later
from .words import person


def cycle_create(*, name: str, starts_on: datetime.date, ends_on: datetime.date,
                 make_current: bool = True) -> EngagementCycle:
    """Open an engagement cycle with its seven milestones; optionally make it the current one."""
    with transaction.atomic():
        if make_current:
            for previous in EngagementCycle.objects.filter(is_current=True):
                previous.is_current = False
                previous.save(update_fields=["is_current", "updated_at"])  # kept in the history
        cycle = EngagementCycle(name=name, starts_on=starts_on, ends_on=ends_on,
                                is_current=make_current)
        cycle.full_clean()
        cycle.save()
        for number in MILESTONES:
            Milestone.objects.create(cycle=cycle, number=number)
    return cycle


@dataclass
class CycleOpened:
    cycle: EngagementCycle
    previous: EngagementCycle | None
    carried: dict[str, int]  # carry-forward key → how many records continued into the new cycle


def cycle_open_problems(*, name: str, starts_on: datetime.date, ends_on: datetime.date,
                        confirmed: bool = False) -> dict[str, str]:
    """What stands in the way of opening this cycle, by field (empty when nothing does)."""
    errors = {}
    if EngagementCycle.objects.filter(name__iexact=name.strip()).exists():
        errors["name"] = f"A cycle called “{name.strip()}” exists already."
    if ends_on <= starts_on:
        errors["ends_on"] = "The cycle must end after it starts."
    else:
        overlapping = EngagementCycle.objects.filter(starts_on__lte=ends_on, ends_on__gte=starts_on).first()
        later = EngagementCycle.objects.filter(starts_on__gt=starts_on).order_by("-starts_on").first()
        if overlapping:
            errors["starts_on"] = (f"These dates overlap {overlapping} ({overlapping.starts_on:%d %b %Y} – "
                                   f"{overlapping.ends_on:%d %b %Y}).")
        elif later:  # a cycle's records run from its opening to the next one's: cycles open in date order
            errors["starts_on"] = (f"{later} starts later ({later.starts_on:%d %b %Y}): the next cycle starts after "
                                   "the latest one. Cycles open in date order.")
    pending = _pending_milestones()
    if pending and not confirmed:
        errors["confirmed"] = (f"Milestone {', '.join(str(m.number) for m in pending)} of {pending[0].cycle} is "
                               "waiting for approval. Tick the box to open the new cycle anyway; the decision "
                               "can still be taken.")
    return errors


def _pending_milestones() -> list[Milestone]:
    return list(Milestone.objects.filter(cycle__is_current=True, state=MilestoneState.SUBMITTED)
                .select_related("cycle").order_by("number"))


def cycle_open(*, name: str, starts_on: datetime.date, ends_on: datetime.date, user,
               carry: Iterable[str] | None = None, confirmed: bool = False) -> CycleOpened:
    """Open an engagement cycle — the one way, used by the page, `manage.py open_cycle` and the
    admin: it gets its seven milestones, becomes the current cycle and closes the previous one,
    into which nothing more is written. What the apps registered with `registry.carry_forward`
    continues into it (`carry`: the keys to carry; None carries everything). All or nothing.

    Refused (ValidationError, by field) when the dates are back to front or overlap another cycle,
    and — unless `confirmed` — while a milestone of the current cycle waits for approval."""
    if user is not None and not user.has_perm("oe21.open_cycle"):  # None: the operator's command line
        raise PermissionDenied("Only the LFT chair and the Admin open engagement cycles.")
    errors = cycle_open_problems(name=name, starts_on=starts_on, ends_on=ends_on, confirmed=confirmed)
    if errors:
        raise ValidationError(errors)
    steps = [step for step in registry.carry_forward_steps() if carry is None or step.key in set(carry)]
    try:
        with transaction.atomic():
            # One opening at a time: the current cycle's row is locked until this one commits.
            previous = EngagementCycle.objects.select_for_update().filter(is_current=True).first()
            if _pending_milestones() and not confirmed:  # submitted while the form was being filled in
                raise ValidationError(cycle_open_problems(name=name, starts_on=starts_on, ends_on=ends_on))
            cycle = cycle_create(name=name.strip(), starts_on=starts_on, ends_on=ends_on)
            carried = {step.key: step.run(previous, cycle, user) for step in steps} if previous else {}
    except IntegrityError as error:  # a second click, or somebody else, opened it at the same moment
        raise ValidationError({"name": "Another cycle was opened at the same moment; reload the page."}) from error
    return CycleOpened(cycle, previous, carried)


def segment_delete(*, segment: MarketSegment, user) -> None:
    """Delete a market segment or customer group nothing uses; otherwise say what uses it (and
    suggest retiring it instead). Nothing is deleted then."""
    if not user.has_perm("oe21.delete_marketsegment"):
        raise PermissionDenied("Your role cannot delete market segments.")
    try:
        with transaction.atomic():
            segment._history_user = user
            segment.delete()
    except ProtectedError as error:
        uses = Counter(type(record)._meta for record in error.protected_objects)
        listed = ", ".join(sorted(f"{n} {meta.verbose_name if n == 1 else meta.verbose_name_plural}"
                                  for meta, n in uses.items()))
        raise ValidationError(f"“{segment}” is in use ({listed}): it cannot be deleted. Untick “Active” to "
                              "retire it instead.") from error


def milestone_submit(*, milestone: Milestone, user, evidence: str) -> Milestone:
    """A CFT member submits a milestone, with evidence, once its completion rule is met.

    The LFT chair is e-mailed by a Celery task after the submission is committed.
    """
    if not user.has_perm("oe21.submit_milestone"):
        raise PermissionDenied("Only CFT members and the LFT chair may submit milestones.")
    if not evidence.strip():
        raise ValidationError({"evidence": "Describe the evidence that the milestone is reached."})
    with transaction.atomic():
        milestone = Milestone.objects.select_for_update().select_related("cycle").get(pk=milestone.pk)
        check_cycle_open(milestone.cycle)
        if milestone.state not in (MilestoneState.OPEN, MilestoneState.REJECTED):
            raise ValidationError(
                f"Milestone {milestone.number} is {milestone.get_state_display().lower()} already."
            )
        missing = missing_for(milestone.number, milestone.cycle)
        if missing:
            raise ValidationError(
                [f"Milestone {milestone.number} is not ready:"] + missing
            )
        milestone.state = MilestoneState.SUBMITTED
        milestone.evidence = evidence.strip()
        milestone.submitted_by = user
        milestone.submitted_at = timezone.now()
        milestone.decided_by = None
        milestone.decided_at = None
        milestone.decision_reason = ""
        milestone._change_reason = "submitted"
        milestone.save()

        from .tasks import email_chair_about_submission

        send_later(email_chair_about_submission, milestone.pk)
    return milestone


def _decide(*, milestone: Milestone, user, approve: bool, reason: str) -> Milestone:
    if not user.has_perm("oe21.decide_milestone"):
        raise PermissionDenied("Only the LFT chair may approve or reject milestones.")
    with transaction.atomic():
        # Lock the whole cycle's milestones: two chairs deciding at once are serialised,
        # and the second sees the first one's decision.
        locked = {
            m.number: m
            for m in Milestone.objects.select_for_update().filter(cycle_id=milestone.cycle_id)
        }
        milestone = locked[milestone.number]
        if milestone.state != MilestoneState.SUBMITTED:
            raise ValidationError(
                f"Milestone {milestone.number} is not waiting for a decision "
                f"(it is {milestone.get_state_display().lower()})."
            )
        if approve:
            earlier = [n for n in range(1, milestone.number)
                       if locked[n].state != MilestoneState.APPROVED]
            if earlier:
                raise ValidationError(
                    f"Milestones are approved in order: approve milestone {earlier[0]} first."
                )
        milestone.state = MilestoneState.APPROVED if approve else MilestoneState.REJECTED
        milestone.decided_by = user
        milestone.decided_at = timezone.now()
        milestone.decision_reason = reason.strip()
        milestone._change_reason = "approved" if approve else "rejected"
        milestone.save()
        notify([milestone.submitted_by], subject=f"Milestone {milestone.number} is {milestone._change_reason}",
               link="/", message=f"{person(user)} {milestone._change_reason} {milestone}."
               + (f"\n\nReason: {milestone.decision_reason}" if milestone.decision_reason else ""))
    return milestone


def milestone_approve(*, milestone: Milestone, user, reason: str = "") -> Milestone:
    """The LFT chair approves a submitted milestone; milestones are approved strictly in order."""
    return _decide(milestone=milestone, user=user, approve=True, reason=reason)


def milestone_reject(*, milestone: Milestone, user, reason: str) -> Milestone:
    """The LFT chair rejects a submitted milestone; a reason is required."""
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for the rejection."})
    return _decide(milestone=milestone, user=user, approve=False, reason=reason)


# Action items ------------------------------------------------------------------------------------

def action_source_kind(record) -> str:
    """The registered kind of action-item source that `record` is ("assessment", …)."""
    label = record._meta.label
    for source in registry.action_sources().values():
        if source.model == label:
            return source.kind
    raise ValueError(f"No app registered {label} as a source of action items.")


def action_item_close(*, item: ActionItem, user, status: str = ActionItemStatus.DONE) -> ActionItem:
    """Mark an action item or follow-up task done (or cancelled), once; kept in its History."""
    if not user.has_perm("oe21.change_actionitem"):
        raise PermissionDenied("Your role cannot close action items.")
    if status not in (ActionItemStatus.DONE, ActionItemStatus.CANCELLED):
        raise ValidationError("An item is closed as done or cancelled.")
    with transaction.atomic():
        item = ActionItem.objects.select_for_update().get(pk=item.pk)
        if item.status != ActionItemStatus.OPEN:
            raise ValidationError(f"“{item.description}” is {item.get_status_display().lower()} already.")
        item._history_user = user
        model_update(item, data={"status": status, "done_on": timezone.localdate()})
    return item


def action_item_leave_out_of_plan(*, item: ActionItem, user) -> ActionItem:
    """Task 3.2.7: the CFT reviewed an Action Plan tab's item and does not take it into the
    Customer Excellence Action Plan; it stays on its tab, marked reviewed (History keeps who)."""
    if not user.has_perm("oe21.change_actionitem"):
        raise PermissionDenied("Your role cannot review action items for the plan.")
    with transaction.atomic():
        item = ActionItem.objects.select_for_update().get(pk=item.pk)
        if item.plan_reviewed_at is None:
            item._history_user = user
            model_update(item, data={"plan_reviewed_at": timezone.now(), "plan_reviewed_by": user})
    return item


def action_item_add(*, source, description: str, user, owner=None, due_on=None) -> ActionItem:
    """Add a task to the action plan of `source` (an assessment, an opportunity, a review)."""
    return model_create(ActionItem, data={
        "source": source, "source_kind": action_source_kind(source), "description": description,
        "owner": owner, "due_on": due_on, "created_by": user})
