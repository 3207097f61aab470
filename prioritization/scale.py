"""Task 3.2.1's part of the scale data set: 20,000 assessments (at --scale 1), every active
criterion rated, about one in ten reviewed."""

from django.utils import timezone

from oe21.lib.records import bulk_insert
from oe21.lib.spreadsheets import BULK_BATCH
from oe21.registry import scale_step

from .models import Assessment, Criterion, Rating


@scale_step(order=10)
def assessments(ctx) -> None:
    rng, now = ctx.rng, timezone.now()
    pairs = set()
    wanted = min(ctx.count(20_000), len(ctx.account_ids) * len(ctx.offering_ids))
    while len(pairs) < wanted:
        pairs.add((rng.choice(ctx.account_ids), rng.choice(ctx.offering_ids)))
    Assessment.objects.bulk_create([
        Assessment(cycle=ctx.cycle, account_id=account_id, offering_id=offering_id,
                   respondent_name=f"Respondent {account_id}", respondent_role="Buyer",
                   assessed_by=rng.choice(ctx.users),
                   reviewed_by=ctx.users[0] if rng.random() < 0.1 else None,
                   reviewed_at=now if rng.random() < 0.1 else None)
        for account_id, offering_id in sorted(pairs)], batch_size=BULK_BATCH)
    criteria = list(Criterion.objects.filter(is_active=True).values_list("pk", flat=True))
    ratings = (Rating(assessment_id=assessment_id, criterion_id=criterion_id, value=rng.randint(1, 5))
               for assessment_id in Assessment.objects.filter(cycle=ctx.cycle).values_list("pk", flat=True)
               for criterion_id in criteria)
    bulk_insert(Rating, ratings)
    Assessment.objects.filter(cycle=ctx.cycle).rescore()
