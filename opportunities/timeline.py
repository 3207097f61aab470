"""What opportunity marketing adds to an account's timeline (`oe21.timeline`): touches, status
changes, Phase 3 steps and proposals."""

from django.db.models.functions import TruncDate

from oe21.registry import TimelineEvent, timeline_kind
from oe21.timeline import dated, record_ids
from oe21.words import money, person

from .models import Opportunity, Proposal, StatusChange, Touch

PHASE_3_STEPS = ["sponsor_engaged_on", "touch1_sent_on", "presented_to_sponsor_on", "presented_to_influencers_on",
                 "decision_meeting_set_on", "presented_to_decision_maker_on"]


@timeline_kind("touch", label="Touches", permission="opportunities.view_touch", order=10,
               events=lambda account: [dated(Touch.objects.filter(opportunity__account=account), "occurred_on")])
def _touches(items):
    touches = Touch.objects.filter(pk__in=record_ids(items)).select_related("opportunity__offering", "by")
    return {("", t.pk): TimelineEvent(
        f"{t.get_channel_display()} {'to' if t.direction == 'out' else 'from'} the account"
        f"{': ' + t.outcome if t.outcome else ''} — {t.opportunity.offering}",
        t.opportunity.get_absolute_url(), person(t.by)) for t in touches}


@timeline_kind("status", label="Status changes", permission="opportunities.view_statuschange", order=20,
               events=lambda account: [dated(StatusChange.objects.filter(opportunity__account=account),
                                             TruncDate("changed_at"))])
def _status_changes(items):
    changes = (StatusChange.objects.filter(pk__in=record_ids(items))
               .select_related("opportunity__offering", "changed_by"))
    return {("", c.pk): TimelineEvent(
        f"Status {c.get_from_status_display() or '—'} → {c.get_to_status_display()}"
        f"{' (' + (c.get_reason_display() or c.reason_text) + ')' if c.reason or c.reason_text else ''}"
        f" — {c.opportunity.offering}", c.opportunity.get_absolute_url(), person(c.changed_by)) for c in changes}


def _phase_3_steps(account):
    opportunities = Opportunity.objects.filter(account=account)
    return [dated(opportunities.filter(**{f"{step}__isnull": False}), step, step) for step in PHASE_3_STEPS]


@timeline_kind("phase3", label="Phase 3 steps", permission="opportunities.view_opportunity", order=30,
               events=_phase_3_steps)
def _steps(items):
    opportunities = {o.pk: o for o in Opportunity.objects.filter(pk__in=record_ids(items)).select_related("offering")}
    return {(step, pk): TimelineEvent(
        f"Phase 3: {Opportunity._meta.get_field(step).verbose_name} — {opportunities[pk].offering}",
        opportunities[pk].get_absolute_url()) for step, pk in items if pk in opportunities}


@timeline_kind("proposal", label="Proposals", permission="opportunities.view_proposal", order=40,
               events=lambda account: [dated(Proposal.objects.filter(opportunity__account=account), "sent_on")])
def _proposals(items):
    proposals = (Proposal.objects.filter(pk__in=record_ids(items))
                 .select_related("offering", "opportunity", "created_by"))
    return {("", p.pk): TimelineEvent(
        f"Proposal for {p.offering}: {money(p.value)} — {p.get_outcome_display()}",
        p.opportunity.get_absolute_url(), person(p.created_by)) for p in proposals}
