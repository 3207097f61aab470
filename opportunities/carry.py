"""What of Tasks 3.2.2–3.2.3 continues into a new engagement cycle (`oe21.services.cycle_open`)."""

from django.db.models import Prefetch
from simple_history.utils import bulk_create_with_history

from oe21.lib.spreadsheets import BULK_BATCH
from oe21.registry import carry_forward

from .choices import CLOSED_STATUSES
from .models import Campaign, CampaignItem, Comment, Opportunity

# Copied as they are; the rest (id, cycle, timestamps, the link back) is the new record's own.
_NOT_COPIED = {"id", "cycle", "created_at", "updated_at", "carried_from"}


@carry_forward("open_opportunities", order=10, label="Open opportunities (not Purchased, Not interested or "
                                                     "Unsubscribed), with their touch counts, steps and comments")
def open_opportunities(previous, cycle, user) -> int:
    """Each open opportunity of the previous cycle continues as a record of the new one that points
    back to it (`carried_from`): the old one keeps its touches and last year's figures stay as they
    were; the new one starts from its counts, engagement steps, furthest stage and comments."""
    fields = [f.attname for f in Opportunity._meta.concrete_fields if f.name not in _NOT_COPIED]
    open_ones = (Opportunity.objects.filter(cycle=previous).exclude(status__in=CLOSED_STATUSES)
                 .order_by("pk").prefetch_related(Prefetch("comments", Comment.objects.order_by("pk"))))
    carried = 0
    for start in range(0, open_ones.count(), BULK_BATCH):
        batch = list(open_ones[start:start + BULK_BATCH])
        copies = [Opportunity(cycle=cycle, carried_from=old, **{f: getattr(old, f) for f in fields}) for old in batch]
        bulk_create_with_history(copies, Opportunity, batch_size=BULK_BATCH, default_user=user,
                                 default_change_reason=f"Carried forward into {cycle}")
        by_old = {copy.carried_from_id: copy for copy in
                  Opportunity.objects.filter(cycle=cycle, carried_from__in=[old.pk for old in batch])}
        comments = [Comment(opportunity=by_old[old.pk], author_id=c.author_id, text=c.text)
                    for old in batch for c in old.comments.all()]
        bulk_create_with_history(comments, Comment, batch_size=BULK_BATCH, default_user=user)
        carried += len(batch)
    return carried


@carry_forward("campaigns", order=20, label="Campaigns: each segment's campaign with its Phase 1–2 checklist "
                                            "(owners kept, done dates cleared)")
def campaigns(previous, cycle, user) -> int:
    """The segments' campaigns start again with the same checklist; the texts, value propositions
    and scripts are per segment, not per cycle, so their latest versions are the starting ones."""
    count = 0
    for old in Campaign.objects.filter(cycle=previous).prefetch_related("items"):
        campaign = Campaign(cycle=cycle, segment_id=old.segment_id)
        campaign._history_user = user  # who opened the cycle, in the audit history
        campaign.save()
        bulk_create_with_history([CampaignItem(campaign=campaign, phase=item.phase, code=item.code, title=item.title,
                                               owner_id=item.owner_id, notes=item.notes)
                                  for item in old.items.all()], CampaignItem, default_user=user)
        count += 1
    return count
