"""Tasks 3.2.2–3.2.3's part of the demo organisation: campaigns for two segments (one half
done), ~25 opportunities with touches, and eighteen months of touches that grow."""

import datetime

from oe21.lib.months import add_months, months_back
from oe21.models import MarketSegment
from oe21.registry import demo_step

from . import services
from .choices import Channel, Direction, Status, StatusReason
from .models import Campaign, Opportunity, Touch


@demo_step(order=20)
def campaigns(ctx) -> None:
    rng, cycle, today = ctx.rng, ctx.cycle, datetime.date.today()
    for index, segment in enumerate(MarketSegment.objects.filter(parent=None).order_by("name")[:2]):
        if Campaign.objects.filter(cycle=cycle, segment=segment).exists():
            continue
        campaign = services.campaign_create(cycle=cycle, segment=segment, user=ctx.salespeople[0])
        for item in campaign.items.all():
            item.owner = rng.choice(ctx.salespeople)
            item.due_on = today + datetime.timedelta(days=rng.randint(-20, 40))
            if item.phase == 1 and (index == 0 or item.code < "T5"):
                item.done_on = today - datetime.timedelta(days=rng.randint(1, 30))
            item.save()
        services.engagement_text_save(
            segment=segment, kind="value_proposition", user=ctx.salespeople[0],
            body=f"For {segment.name.lower()} organisations that need dependable equipment, our "
                 "offerings cut unplanned downtime and keep compliance audits simple.")
        services.engagement_text_save(
            segment=segment, kind="touch", touch_number=1, medium="email", user=ctx.salespeople[0],
            body="Subject: A shorter path to zero unplanned downtime\n\nHello {name}, ...")
        if index == 0:
            services.engagement_text_save(
                segment=segment, kind="voice_mail", user=ctx.salespeople[0],
                body="Hello {name}, this is {me} from Northwind. We help teams like yours cut unplanned downtime; "
                     "I'll send a short note today. You can reach me at {phone}.")
        services.campaign_targets_from_matrix(campaign=campaign, user=ctx.salespeople[0])  # T1, T4


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
    touch_history(ctx)


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
