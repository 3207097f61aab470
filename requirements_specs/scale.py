"""Tasks 3.2.4–3.2.7's part of the scale data set: twelve months of costs, cycle times and
revenue for every offering."""

from oe21.lib.months import add_months, months_back
from oe21.lib.records import bulk_insert
from oe21.registry import scale_step

from .models import OfferingCost


@scale_step(order=40)
def costs(ctx) -> None:
    rng = ctx.rng
    months = months_back(add_months(ctx.today.replace(day=1), -1), 12)
    bulk_insert(OfferingCost, (
        OfferingCost(offering_id=offering_id, period=month, revenue=(revenue := rng.randint(5, 50) * 1000),
                     cost_of_goods_sold=round(revenue * rng.uniform(0.4, 1.05)), units=rng.randint(1, 40),
                     design_days=rng.randint(5, 20), produce_days=rng.randint(2, 10),
                     deliver_days=rng.randint(1, 5), support_days=rng.randint(1, 3))
        for offering_id in ctx.offering_ids for month in months))
