"""Tasks 3.2.2–3.2.3's part of the demo organisation: a campaign per segment (one tactic and one
text missing), ~25 opportunities with touches, every target but one engaged, and eighteen months of
touches that grow."""

import datetime
import math

from django.core.files.base import ContentFile

from oe21.choices import AccountKind
from oe21.demo import last_year, while_current
from oe21.lib.months import add_months, months_back
from oe21.models import MarketSegment
from oe21.registry import demo_step
from prioritization.selectors import matrix_ratings

from . import services
from .choices import Channel, Direction, ProposalOutcome, Status, StatusReason
from .models import Campaign, CampaignTarget, Opportunity, Proposal, Touch

PDF = b"%PDF-1.4\n% demo presentation\n%%EOF\n"
LEFT_UNDONE = ("Manufacturing", "T7")  # the demo leaves one thing missing for each milestone
NO_DIALOGUE = "Public sector"


@demo_step(order=20)
def campaigns(ctx) -> None:
    """A campaign for each market segment with Phase 1 and 2 done but Manufacturing's T7, its texts
    (Public sector has no telephone dialogue yet), presentations and targets from the matrix."""
    rng, cycle, today = ctx.rng, ctx.cycle, datetime.date.today()
    for segment in MarketSegment.objects.filter(parent=None).order_by("name"):
        if Campaign.objects.filter(cycle=cycle, segment=segment).exists():
            continue
        campaign = services.campaign_create(cycle=cycle, segment=segment, user=ctx.salespeople[0])
        for item in campaign.items.all():
            item.owner = rng.choice(ctx.salespeople)
            item.due_on = today + datetime.timedelta(days=rng.randint(-20, 40))
            if (segment.name, item.code) != LEFT_UNDONE:
                item.done_on = today - datetime.timedelta(days=rng.randint(1, 30))
            if item.code in ("S6", "S7"):
                item.attachment.save(f"{segment.name.lower().replace(' ', '-')}-{item.code.lower()}.pdf",
                                     ContentFile(PDF), save=False)
            item.save()
        _texts(ctx, segment)
        services.campaign_targets_from_matrix(campaign=campaign, user=ctx.salespeople[0])  # T1, T4


def _texts(ctx, segment) -> None:
    user = ctx.salespeople[0]
    for group in [segment, *segment.groups.all()]:
        services.engagement_text_save(
            segment=group, kind="value_proposition", user=user,
            body=f"For {group.name.lower()} organisations that need dependable equipment, our "
                 "offerings cut unplanned downtime and keep compliance audits simple.")
    services.engagement_text_save(
        segment=segment, kind="touch", touch_number=1, medium="email", user=user,
        body="Subject: A shorter path to zero unplanned downtime\n\nHello {name}, ...")
    services.engagement_text_save(
        segment=segment, kind="voice_mail", user=user,
        body="Hello {name}, this is {me} from Northwind. We help teams like yours cut unplanned downtime; "
             "I'll send a short note today. You can reach me at {phone}.")
    if segment.name != NO_DIALOGUE:
        services.engagement_text_save(
            segment=segment, kind="telephone_dialogue", user=user,
            body="1. Introduce yourself and Northwind.\n2. Ask how unplanned downtime affects them.\n"
                 "3. Offer the two-page case study and a 20-minute call.")


@demo_step(order=21)
def opportunities(ctx) -> None:
    rng, cycle, today = ctx.rng, ctx.cycle, datetime.date.today()
    if Opportunity.objects.filter(cycle=cycle).exists():
        return
    statuses = [Status.NO_PROGRESS, Status.UNDECIDED, Status.INTERESTED, Status.EVALUATING,
                Status.PURCHASED, Status.NOT_INTERESTED, Status.INTERESTED]
    for index, account in enumerate(ctx.accounts[10:35]):
        salesperson = ctx.salespeople[index % 2]
        opportunity = services.opportunity_create(user=salesperson, data={
            "cycle": cycle, "salesperson": salesperson, "salesperson_role": "Account executive",
            "offering": ctx.offerings[index % len(ctx.offerings)], "lead_source": rng.choice(
                ["email", "phone", "web_site", "referral", "other"]),
            "account": account, "contact": account.contacts.first(),
            "sponsor_engaged_on": today - datetime.timedelta(days=40) if index % 3 else None,
            "touch1_sent_on": today - datetime.timedelta(days=35) if index % 3 == 1 else None,
        })
        for _ in range(rng.randint(2, 9)):
            Touch.objects.create(
                opportunity=opportunity, by=salesperson, channel=rng.choice(Channel.values),
                direction=rng.choice([Direction.OUT, Direction.OUT, Direction.IN]),
                occurred_on=today - datetime.timedelta(days=rng.randint(0, 60)))
        status = statuses[index % len(statuses)]
        if status != Status.NO_PROGRESS:
            services.opportunity_change_status(
                opportunity=opportunity, status=status, user=salesperson,
                reason=StatusReason.BUDGET if status == Status.NOT_INTERESTED else "")
    _engage_targets(ctx)
    touch_history(ctx)


def _engage_targets(ctx) -> None:
    """Every campaign target gets an opportunity with a touch and a status past No progress — but
    one, left at No progress for milestone 4 to show."""
    today, left = datetime.date.today(), False
    for target in CampaignTarget.objects.filter(campaign__cycle=ctx.cycle).order_by("campaign__segment__name",
                                                                                     "account__name"):
        opportunity = Opportunity.objects.filter(cycle=ctx.cycle, account=target.account).first()
        salesperson = ctx.salespeople[0]
        if opportunity is None:
            opportunity = services.opportunity_create(user=salesperson, data={
                "cycle": ctx.cycle, "salesperson": salesperson, "salesperson_role": "Account executive",
                "offering": ctx.offerings[0], "lead_source": "referral", "account": target.account,
                "contact": target.contact})
        services.touch_log(opportunity=opportunity, user=opportunity.salesperson,
                           data={"occurred_on": today - datetime.timedelta(days=3), "channel": Channel.EMAIL,
                                 "direction": Direction.OUT})
        if not left and opportunity.status == Status.NO_PROGRESS:
            left = True
        elif not left:
            services.opportunity_change_status(opportunity=opportunity, status=Status.NO_PROGRESS,
                                               user=opportunity.salesperson, reason=StatusReason.NO_RESPONSE)
            left = True
        elif opportunity.status == Status.NO_PROGRESS:
            services.opportunity_change_status(opportunity=opportunity, status=Status.INTERESTED,
                                               user=opportunity.salesperson)


def touch_history(ctx) -> None:
    """Eighteen months of touches that grow, so the review's KRD trends lead the ratings."""
    opportunities = list(Opportunity.objects.all())
    months = months_back(add_months(datetime.date.today().replace(day=1), -1), 18)
    for index, month in enumerate(months):
        for _ in range(20 + index * 3 + ctx.rng.randint(-4, 4)):
            Touch.objects.create(opportunity=ctx.rng.choice(opportunities), by=ctx.users["cft"],
                                 occurred_on=month + datetime.timedelta(days=ctx.rng.randint(0, 27)),
                                 channel=ctx.rng.choice(Channel.values),
                                 direction=Direction.OUT if ctx.rng.random() < 0.7 else Direction.IN)
    services.recount_touches()  # the touches above were written directly, not through touch_log



# The demo's buying rule: the log-odds of a purchase rise with Best Value and Prior Success and do
# not depend on the other criteria, so the calibration page shows which criteria matter.
BUYING_WEIGHTS = {"Best Value": 1.1, "Prior Success": 0.8}


def bought(rng, ratings: dict[str, int]) -> bool:
    """Whether an opportunity rated `ratings` on the matrix was purchased, by the buying rule."""
    log_odds = sum(w * (ratings.get(name, 3) - 3) for name, w in BUYING_WEIGHTS.items()) - 0.2
    return rng.random() < 1 / (1 + math.exp(-log_odds))


@demo_step(order=26)
def last_year_outcomes(ctx) -> None:
    """An opportunity that ended — Purchased or Not interested, by the buying rule — on every row
    of last year's matrix, with an accepted proposal for each purchase."""
    past = last_year(ctx)
    if Opportunity.objects.filter(cycle=past).exists():
        return
    rng, accounts = ctx.rng, {a.pk: a for a in ctx.accounts}
    offerings = {o.pk: o for o in ctx.offerings}
    with while_current(past):
        for (account_id, offering_id), ratings in sorted(matrix_ratings(past).items()):
            account, offering = accounts[account_id], offerings[offering_id]
            salesperson = ctx.salespeople[rng.randint(0, 1)]
            opportunity = services.opportunity_create(user=salesperson, data={
                "cycle": past, "salesperson": salesperson, "offering": offering, "lead_source": "referral",
                "account": account, "contact": account.contacts.first()})
            purchased = bought(rng, ratings)
            services.opportunity_change_status(opportunity=opportunity, user=salesperson,
                                               status=Status.PURCHASED if purchased else Status.NOT_INTERESTED,
                                               reason="" if purchased else StatusReason.BUDGET)
            if purchased:
                services.proposal_add(opportunity=opportunity, user=salesperson, data={
                    "sent_on": past.starts_on + datetime.timedelta(days=rng.randint(30, 330)), "offering": offering,
                    "value": offering.price or 1000, "outcome": ProposalOutcome.ACCEPTED})


@demo_step(order=56)
def accepted_proposals(ctx) -> None:
    """Accepted proposals this year for the customers in the pipeline — more from the fully engaged
    (the business case of seed 004 has figures)."""
    from metrics.business_case import engagement_by_account
    from metrics.engagement import FULLY_ENGAGED

    rng, today = ctx.rng, datetime.date.today()
    if Proposal.objects.filter(opportunity__cycle=ctx.cycle).exists():
        return
    engaged = engagement_by_account(today)
    for opportunity in _first_per_account(ctx.cycle):
        purchases = rng.randint(2, 4) if engaged.get(opportunity.account_id) == FULLY_ENGAGED else rng.randint(0, 2)
        for _ in range(purchases):
            Proposal.objects.create(opportunity=opportunity, offering=opportunity.offering,
                                    sent_on=today - datetime.timedelta(days=rng.randint(5, 280)),
                                    value=(opportunity.offering.price or 1000) * rng.randint(2, 12),
                                    outcome=ProposalOutcome.ACCEPTED, created_by=opportunity.salesperson)


def _first_per_account(cycle) -> list[Opportunity]:
    first: dict[int, Opportunity] = {}
    for opportunity in (Opportunity.objects.filter(cycle=cycle, account__kind=AccountKind.CUSTOMER)
                        .select_related("offering", "salesperson").order_by("account__name", "pk")):
        first.setdefault(opportunity.account_id, opportunity)
    return list(first.values())
