"""Tasks 3.2.2–3.2.3's part of the scale data set (at --scale 1): a campaign per market segment,
100,000 opportunities and 1,000,000 touch events over eighteen months.

Each opportunity's touches come from its own seeded generator, so its counts are known when the
opportunity is written and its touches can be written after it without holding them in memory.
"""

import datetime
import random

from simple_history.utils import bulk_create_with_history

from oe21.lib.records import bulk_insert
from oe21.lib.spreadsheets import BULK_BATCH
from oe21.models import MarketSegment
from oe21.registry import scale_step
from prioritization.selectors import matrix_ratings

from . import services
from .choices import ENGAGEMENT_STEPS, FUNNEL, Channel, Direction, LeadSource, ProposalOutcome, Status, StatusReason
from .demo import bought
from .models import Opportunity, Proposal, StatusChange, Touch

TOUCHES_PER_OPPORTUNITY = 10  # on average: 100,000 opportunities → 1,000,000 touches
STATUS_WEIGHTS = {Status.NO_PROGRESS: 30, Status.UNDECIDED: 15, Status.INTERESTED: 20, Status.EVALUATING: 12,
                  Status.PURCHASED: 10, Status.NOT_INTERESTED: 10, Status.UNSUBSCRIBED: 3}
REASON = {Status.NOT_INTERESTED: StatusReason.BUDGET, Status.UNSUBSCRIBED: StatusReason.OTHER}


def _touches(seed: int, today: datetime.date):
    """(channel, direction, day) of one opportunity's touches, the same for the same seed."""
    rng = random.Random(seed)
    for _ in range(rng.randint(0, 2 * TOUCHES_PER_OPPORTUNITY)):
        direction = Direction.OUT if rng.random() < 0.7 else Direction.IN
        yield rng.choice(Channel.values), direction, today - datetime.timedelta(days=rng.randint(0, 540))


@scale_step(order=20)
def campaigns(ctx) -> None:
    for segment in MarketSegment.objects.filter(pk__in=ctx.segment_ids):
        campaign = services.campaign_create(cycle=ctx.cycle, segment=segment, user=ctx.users[0])
        services.campaign_targets_from_matrix(campaign=campaign, user=ctx.users[0])  # T1 and T4 from the matrix


BY_BUYING_RULE = (Status.PURCHASED, Status.NOT_INTERESTED)  # on a row of the matrix: which one, by the rule


@scale_step(order=21)
def opportunities(ctx) -> None:
    rng, today = ctx.rng, ctx.today
    rated = matrix_ratings(ctx.cycle)
    wanted = min(ctx.count(100_000), len(ctx.account_ids) * len(ctx.offering_ids))
    pairs = set()
    while len(pairs) < wanted:
        pairs.add((rng.choice(ctx.account_ids), rng.choice(ctx.offering_ids)))
    statuses, weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
    records = []
    for index, (account_id, offering_id) in enumerate(sorted(pairs)):
        status = rng.choices(statuses, weights)[0]
        if status in BY_BUYING_RULE and (account_id, offering_id) in rated:
            status = Status.PURCHASED if bought(rng, rated[(account_id, offering_id)]) else Status.NOT_INTERESTED
        opportunity = Opportunity(
            cycle=ctx.cycle, salesperson=rng.choice(ctx.users), salesperson_role="Account executive",
            offering_id=offering_id, lead_source=rng.choice(LeadSource.values), account_id=account_id,
            contact_id=rng.choice(ctx.contact_ids_by_account[account_id]), status=status,
            status_reason=REASON.get(status, ""),
            status_reason_text="Given by the scale data set" if status == Status.UNSUBSCRIBED else "",
            furthest_stage=FUNNEL.index(status) if status in FUNNEL else None)
        for name, _ in ENGAGEMENT_STEPS[:rng.randint(0, len(ENGAGEMENT_STEPS))]:
            setattr(opportunity, name, today - datetime.timedelta(days=rng.randint(1, 300)))
        for channel, direction, _ in _touches(index, today):
            for field in (f"n_{channel}_{direction}", f"n_{direction}"):
                setattr(opportunity, field, getattr(opportunity, field) + 1)
        records.append(opportunity)
    bulk_create_with_history(records, Opportunity, batch_size=BULK_BATCH, default_user=ctx.users[0])
    ids = list(Opportunity.objects.filter(cycle=ctx.cycle).order_by("account_id", "offering_id")
               .values_list("pk", "salesperson_id", "status"))
    bulk_insert(StatusChange, (StatusChange(opportunity_id=pk, to_status=status, changed_by_id=salesperson_id)
                               for pk, salesperson_id, status in ids))
    bulk_insert(Touch, (Touch(opportunity_id=pk, by_id=salesperson_id, channel=channel, direction=direction,
                              occurred_on=day)
                        for index, (pk, salesperson_id, _) in enumerate(ids)
                        for channel, direction, day in _touches(index, today)))


PROPOSAL_SEED = 2030


@scale_step(order=55)
def accepted_proposals(ctx) -> None:
    """Accepted proposals in the last eleven months on each purchase: one, or two to four from a fully
    engaged customer (the survey's answers are in by now), so the business case of seed 004 has
    revenue, repeat purchases and share of wallet to compare."""
    from metrics.business_case import engagement_by_account
    from metrics.engagement import FULLY_ENGAGED

    rng = random.Random(PROPOSAL_SEED)
    engaged = {pk for pk, group in engagement_by_account(ctx.today).items() if group == FULLY_ENGAGED}
    opportunities = (Opportunity.objects.filter(cycle=ctx.cycle, status=Status.PURCHASED).order_by("pk")
                     .values_list("pk", "offering_id", "offering__price", "account_id", "salesperson_id"))

    def proposals():
        for pk, offering_id, price, account_id, salesperson_id in opportunities.iterator(chunk_size=5000):
            for _ in range(rng.randint(2, 4) if account_id in engaged else 1):
                yield Proposal(opportunity_id=pk, offering_id=offering_id, outcome=ProposalOutcome.ACCEPTED,
                               sent_on=ctx.today - datetime.timedelta(days=rng.randint(1, 330)),
                               value=(price or 1000) * rng.randint(1, 12), created_by_id=salesperson_id)

    bulk_insert(Proposal, proposals())
