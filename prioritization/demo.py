"""Task 3.2.1's part of the demo organisation: assessments, and tasks on some assessments."""

import datetime

from oe21.choices import AccountKind
from oe21.demo import last_year, while_current
from oe21.registry import demo_step
from oe21.services import action_item_add

from .models import Assessment, Criterion, Rating


@demo_step(order=10)
def assessments(ctx) -> None:
    """Rate some accounts: six for each offering but the last, which has four — one short of the
    five milestone 1 asks, so the main page shows what is missing."""
    criteria = list(Criterion.objects.filter(is_active=True))
    offerings = ctx.offerings[:-1]
    rated = [account for account in ctx.accounts if account.kind != AccountKind.STAKEHOLDER]  # customers, prospects
    rows = [(account, offerings[index % len(offerings)]) for index, account in enumerate(rated[:18])]
    rows += [(account, ctx.offerings[-1]) for account in rated[18:22]]
    for index, (account, offering) in enumerate(rows):
        respondent = account.contacts.first()
        assessment, created = Assessment.objects.get_or_create(
            cycle=ctx.cycle, account=account, offering=offering,
            defaults={"respondent_name": respondent.name, "respondent_role": respondent.title or "Operations manager",
                      "respondent_age_group": respondent.age_group or "45_54", "assessed_by": ctx.users["cft"]})
        if created:
            for criterion in criteria:
                Rating.objects.create(assessment=assessment, criterion=criterion, value=ctx.rng.randint(2, 5))
            Assessment.objects.filter(pk=assessment.pk).rescore()
            if index < 3:
                action_item_add(source=assessment, description="Invite to an on-site demo", user=ctx.users["cft"],
                                owner=ctx.users["cft"], due_on=datetime.date.today() + datetime.timedelta(30))


LAST_YEAR_ASSESSMENTS = 80


@demo_step(order=25)
def last_year_matrix(ctx) -> None:
    """Last year's matrix (a closed cycle): 80 customer and prospect rows, ratings at random. The
    opportunities that ended on them follow a buying rule (opportunities.demo), so "does the matrix
    predict who buys?" has outcomes to fit."""
    past = last_year(ctx)
    if Assessment.objects.filter(cycle=past).exists():
        return
    rng, criteria = ctx.rng, list(Criterion.objects.filter(is_active=True))
    pairs = [(account, offering) for offering in ctx.offerings for account in ctx.accounts
             if account.kind != AccountKind.STAKEHOLDER]
    rng.shuffle(pairs)
    with while_current(past):
        for account, offering in pairs[:LAST_YEAR_ASSESSMENTS]:
            respondent = account.contacts.first()
            assessment = Assessment.objects.create(
                cycle=past, account=account, offering=offering, respondent_name=respondent.name,
                respondent_role=respondent.title, respondent_age_group=respondent.age_group,
                assessed_by=ctx.users["cft"])
            Rating.objects.bulk_create([Rating(assessment=assessment, criterion=c, value=rng.randint(1, 5))
                                        for c in criteria])
        Assessment.objects.filter(cycle=past).rescore()
