"""Writes of Tasks 3.2.2–3.2.3: campaigns, stored texts, opportunities, touches, comments."""


from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Count, F, Max, When
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from oe21.choices import DecisionRole
from oe21.cycles import check_cycle_open
from oe21.lib.records import model_create, model_update
from oe21.models import Account, Contact
from oe21.validators import check_not_future
from prioritization.selectors import high_value_accounts

from .access import check_can_change, check_can_change_comment, check_owner
from .choices import (
    CAMPAIGN_CHECKLIST,
    ENGAGEMENT_STEPS,
    MAX_COMMENTS,
    STATUSES_NEEDING_REASON,
    Direction,
    Status,
    StatusReason,
    TextKind,
)
from .models import (
    TOUCH_COUNT_FIELDS,
    Campaign,
    CampaignItem,
    CampaignTarget,
    Comment,
    EngagementText,
    Opportunity,
    Proposal,
    StatusChange,
    Touch,
)
from .selectors import account_comments


def campaign_create(*, cycle, segment, user) -> Campaign:
    """Task 3.2.2: open a segment's campaign with the Phase 1 tactics and Phase 2 steps."""
    with transaction.atomic():
        campaign = model_create(Campaign, data={"cycle": cycle, "segment": segment})
        # bulk_create_with_history keeps the creation snapshot of each item in the audit history
        bulk_create_with_history([
            CampaignItem(campaign=campaign, phase=phase, code=code, title=title)
            for phase, code, title in CAMPAIGN_CHECKLIST
        ], CampaignItem, default_user=user)
    return campaign


# T1 and T4: the campaign's target accounts and whom it reaches there -----------------------------

def _contact_to_reach(account_ids) -> dict[int, int]:
    """Each account's person to reach: its internal sponsor, else its decision maker, else its first contact."""
    order = Case(When(decision_role=DecisionRole.INTERNAL_SPONSOR, then=0),
                 When(decision_role=DecisionRole.DECISION_MAKER, then=1), default=2)
    chosen = {}
    for contact in (Contact.objects.filter(account_id__in=account_ids).annotate(rank=order)
                    .order_by("account_id", "rank", "pk").values("account_id", "pk")):
        chosen.setdefault(contact["account_id"], contact["pk"])
    return chosen


def campaign_targets_from_matrix(*, campaign: Campaign, user) -> int:
    """T1 "Identify high-value targets": the accounts of the segment's high-value rows in the
    cycle's matrix become the campaign's targets (those that are not yet), each with the person
    the campaign reaches there (T4). Returns how many were added; running it twice adds nothing."""
    check_cycle_open(campaign.cycle)
    with transaction.atomic():
        Campaign.objects.select_for_update().get(pk=campaign.pk)  # two clicks at once add each account once
        taken = set(campaign.targets.values_list("account_id", flat=True))
        found = [(account_id, score) for account_id, score in high_value_accounts(campaign.cycle, campaign.segment)
                 if account_id not in taken]
        contacts = _contact_to_reach([account_id for account_id, _ in found])
        bulk_create_with_history([
            CampaignTarget(campaign=campaign, account_id=account_id, contact_id=contacts.get(account_id),
                           score=score, added_by=user)
            for account_id, score in found], CampaignTarget, default_user=user)
    return len(found)


def campaign_target_save(*, campaign: Campaign, account: Account, contact: Contact | None, user) -> CampaignTarget:
    """Add an account to the campaign's targets, or change whom the campaign reaches there."""
    check_cycle_open(campaign.cycle)
    if contact is not None and contact.account_id != account.pk:
        raise ValidationError({"contact": f"{contact} works at {contact.account}, not at {account}."})
    with transaction.atomic():
        target = CampaignTarget.objects.select_for_update().filter(campaign=campaign, account=account).first()
        if target is None:
            return model_create(CampaignTarget, data={"campaign": campaign, "account": account,
                                                      "contact": contact, "added_by": user}, user=user)
        target._history_user = user
        model_update(target, data={"contact": contact})
        return target


def campaign_target_remove(*, target: CampaignTarget) -> None:
    check_cycle_open(target.campaign.cycle)
    target.delete()


def campaign_item_update(*, item: CampaignItem, data: dict, version: str | None = None) -> CampaignItem:
    check_not_future({"done_on": data.get("done_on")})
    model_update(item, data=data, version=version)
    return item


def engagement_text_save(*, segment, kind: str, body: str, user, touch_number: int = 0,
                         medium: str = "") -> EngagementText:
    """Save a text as a new version; earlier versions stay readable."""
    if kind != TextKind.TOUCH:
        touch_number, medium = 0, ""
    with transaction.atomic():
        latest = (EngagementText.objects.select_for_update()
                  .filter(segment=segment, kind=kind, touch_number=touch_number, medium=medium)
                  .aggregate(v=Max("version"))["v"]) or 0
        return model_create(EngagementText, data={
            "segment": segment, "kind": kind, "touch_number": touch_number, "medium": medium,
            "body": body, "version": latest + 1, "created_by": user})


def opportunity_create(*, data: dict, user) -> Opportunity:
    """Task 3.2.3: add a row to the Opportunity Manager, with its first status in the history."""
    check_owner(salesperson=data["salesperson"], user=user)
    check_not_future({name: data.get(name) for name, _ in ENGAGEMENT_STEPS})
    status = data.get("status", Status.NO_PROGRESS)
    if status != Status.NO_PROGRESS:  # a new opportunity starts at No progress without a reason
        check_status_reason(status, data.get("status_reason", ""), data.get("status_reason_text", ""))
    with transaction.atomic():
        opportunity = model_create(Opportunity, data=data)
        StatusChange.objects.create(opportunity=opportunity, to_status=opportunity.status,
                                    reason=opportunity.status_reason,
                                    reason_text=opportunity.status_reason_text, changed_by=user)
    return opportunity


def opportunity_update(*, opportunity: Opportunity, data: dict, user, version: str | None = None) -> Opportunity:
    """Change an opportunity's details and Phase 3 step dates (not its status); refused over a
    change saved after `version` (the one the edit form was read at)."""
    check_can_change(user, opportunity)
    if "salesperson" in data and data["salesperson"] != opportunity.salesperson:
        check_owner(salesperson=data["salesperson"], user=user)
    check_not_future({name: data.get(name) for name, _ in ENGAGEMENT_STEPS})
    model_update(opportunity, data=data, version=version)
    return opportunity


def check_status_reason(status: str, reason: str, reason_text: str, *, leaving: str = "") -> None:
    if status in STATUSES_NEEDING_REASON and not reason:
        raise ValidationError({"reason": f"Moving to “{Status(status).label}” needs a reason."})
    if reason == StatusReason.OTHER and not reason_text.strip():
        raise ValidationError({"reason_text": "Describe the other reason."})
    if leaving == Status.PURCHASED and not (reason or reason_text.strip()):
        raise ValidationError({"reason": "A purchased opportunity changes status only with a reason."})


def opportunity_change_status(*, opportunity: Opportunity, status: str, user, reason: str = "",
                              reason_text: str = "") -> Opportunity:
    """Move an opportunity to another status; the move is kept in its status history."""
    check_can_change(user, opportunity)
    with transaction.atomic():
        opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        if status == opportunity.status:
            raise ValidationError({"status": f"The opportunity is “{opportunity.get_status_display()}” "
                                             "already."})
        check_status_reason(status, reason, reason_text, leaving=opportunity.status)
        StatusChange.objects.create(opportunity=opportunity, from_status=opportunity.status,
                                    to_status=status, reason=reason, reason_text=reason_text.strip(),
                                    changed_by=user)
        opportunity._history_user = user
        model_update(opportunity, data={"status": status, "status_reason": reason,
                                        "status_reason_text": reason_text.strip()})
    return opportunity


def touch_log(*, opportunity: Opportunity, data: dict, user) -> Touch:
    """Log one touch (a dated event); every count of the standard is derived from these."""
    check_can_change(user, opportunity)
    check_not_future({"occurred_on": data.get("occurred_on")})
    with transaction.atomic():
        touch = model_create(Touch, data={**data, "opportunity": opportunity, "by": user})
        # The counts follow the log in the same transaction; the REST export's updated_since must
        # see the row again.
        direction_total = "n_out" if touch.direction == Direction.OUT else "n_in"
        count = f"n_{touch.channel}_{touch.direction}"
        Opportunity.objects.filter(pk=opportunity.pk).update(
            **{count: F(count) + 1, direction_total: F(direction_total) + 1}, updated_at=timezone.now())
    return touch


def proposal_add(*, opportunity: Opportunity, data: dict, user) -> Proposal:
    """Record a proposal made on the opportunity (who may change the opportunity may)."""
    check_can_change(user, opportunity)
    check_not_future({"sent_on": data.get("sent_on")})
    return model_create(Proposal, data={**data, "opportunity": opportunity, "created_by": user})


def proposal_set_outcome(*, proposal: Proposal, outcome: str, user, version=None) -> Proposal:
    """How a proposal ended (accepted, declined, withdrawn, or open again); refused over a newer change."""
    check_can_change(user, proposal.opportunity)
    model_update(proposal, data={"outcome": outcome}, version=version)
    return proposal


def recount_touches(opportunity_ids=None, *, batch_size: int = 2000) -> int:
    """Set the touch counts of the opportunities (all when None) from their touch log — and that of
    the records they were carried forward from — in batches; for touches written in bulk (imports,
    the scale data set, migrations). Returns rows updated."""
    opportunities = Opportunity.objects.order_by("pk")
    if opportunity_ids is not None:
        opportunities = opportunities.filter(pk__in=list(opportunity_ids))
    ids = list(opportunities.values_list("pk", flat=True))
    updated = 0
    for start in range(0, len(ids), batch_size):
        chunk = ids[start:start + batch_size]
        counts = {pk: dict.fromkeys(TOUCH_COUNT_FIELDS, 0) for pk in chunk}
        # A carried-forward opportunity counts the touches of the records it continues too.
        owner = {ancestor: pk for pk, lineage in Opportunity.lineages(chunk).items() for ancestor in lineage}
        rows = (Touch.objects.filter(opportunity_id__in=list(owner)).values("opportunity_id", "channel", "direction")
                .annotate(n=Count("id")).order_by())
        for row in rows:
            mine = counts[owner[row["opportunity_id"]]]
            mine[f"n_{row['channel']}_{row['direction']}"] += row["n"]
            mine["n_out" if row["direction"] == Direction.OUT else "n_in"] += row["n"]
        batch = [Opportunity(pk=pk, **values) for pk, values in counts.items()]
        Opportunity.objects.bulk_update(batch, TOUCH_COUNT_FIELDS, batch_size=500)
        updated += len(batch)
    return updated


def comment_add(*, opportunity: Opportunity, text: str, user) -> Comment:
    """Add a comment; a customer or prospect keeps at most five in a cycle, over all its
    opportunities (SPEC §5). Two people adding the fifth at once: the account's row is locked."""
    check_can_change(user, opportunity)
    with transaction.atomic():
        Account.objects.select_for_update().filter(pk=opportunity.account_id).first()
        if account_comments(opportunity).count() >= MAX_COMMENTS:
            raise ValidationError({"text": f"A customer or prospect keeps at most {MAX_COMMENTS} comments; "
                                           f"{opportunity.account} has them all. Edit or delete one of yours first."})
        return model_create(Comment, data={"opportunity": opportunity, "text": text, "author": user})


def comment_update(*, comment: Comment, text: str, user) -> Comment:
    check_can_change_comment(user, comment)
    if not text.strip():
        raise ValidationError({"text": "A comment needs some text; delete it instead."})
    comment._history_user = user
    model_update(comment, data={"text": text.strip()})
    return comment


def comment_delete(*, comment: Comment, user) -> None:
    check_can_change_comment(user, comment)
    comment._history_user = user
    comment.delete()
