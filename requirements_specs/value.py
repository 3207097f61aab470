"""Task 3.2.6: value contribution of an offering, in one place.

Contribution = revenue − cost of goods sold; margin % = 100 × contribution / revenue, and no
margin (None) when there is no revenue.
"""

from decimal import ROUND_HALF_UP, Decimal


def contribution(*, revenue: Decimal, cost_of_goods_sold: Decimal) -> Decimal:
    return Decimal(revenue) - Decimal(cost_of_goods_sold)


def margin_percent(*, revenue: Decimal, cost_of_goods_sold: Decimal) -> Decimal | None:
    if not revenue:
        return None
    value = Decimal(100) * contribution(revenue=revenue, cost_of_goods_sold=cost_of_goods_sold) / Decimal(revenue)
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def below_threshold(margin: Decimal | None, threshold: Decimal) -> bool:
    """An offering with revenue and a margin under the threshold, or with costs but no revenue."""
    return margin is None or margin < threshold
