from decimal import Decimal

import pytest

from opportunities.formulas import (
    FormulaParameters,
    progress_points,
    progress_toward_purchase,
    sales_efficiency,
)

DEFAULTS = FormulaParameters()


def test_sales_efficiency_is_responses_over_touches_out():
    # 3 responses to 8 touches out: 100 × 3 / 8 = 37.5
    assert sales_efficiency(touches_out=8, responses=3) == Decimal("37.5")
    # 2 / 3 = 66.666…: the formula keeps full precision; pages show 66.7
    assert sales_efficiency(touches_out=3, responses=2) == Decimal(200) / Decimal(3)
    # 5 responses to 13 touches out = 38.4615…, never 38.5 before it reaches the PMS
    assert round(sales_efficiency(touches_out=13, responses=5), 2) == Decimal("38.46")


def test_sales_efficiency_is_undefined_when_nothing_was_sent():
    assert sales_efficiency(touches_out=0, responses=0) is None
    assert sales_efficiency(touches_out=0, responses=2) is None


@pytest.mark.parametrize("steps, status, points, progress", [
    (0, "no_progress", 0, Decimal("0.0")),
    (3, "interested", 5, Decimal("50.0")),      # 3 steps + 2
    (2, "undecided", 3, Decimal("30.0")),       # 2 + 1
    (5, "evaluating", 8, Decimal("80.0")),      # 5 + 3
    (6, "purchased", 10, Decimal("100")),       # 6 + 4 = 10, the maximum
    (1, "purchased", 5, Decimal("100")),        # Purchased is always 100 %
    (4, "unsubscribed", 4, Decimal("0")),       # Unsubscribed is always 0 %
    (6, "not_interested", 6, Decimal("0")),     # Not interested is always 0 %
])
def test_progress_points_and_progress_toward_purchase(steps, status, points, progress):
    got = progress_points(steps_done=steps, status=status, parameters=DEFAULTS)
    assert got == points
    assert progress_toward_purchase(points=got, status=status, parameters=DEFAULTS) == progress


def test_points_are_capped_and_parameters_change_the_figures():
    generous = FormulaParameters(points_interested=8, maximum_points=20)
    # 6 steps + 8 = 14 of 20 → 70 %
    points = progress_points(steps_done=6, status="interested", parameters=generous)
    assert points == 14
    assert progress_toward_purchase(points=points, status="interested", parameters=generous) == Decimal("70.0")
    tight = FormulaParameters(maximum_points=5)
    assert progress_points(steps_done=6, status="evaluating", parameters=tight) == 5
