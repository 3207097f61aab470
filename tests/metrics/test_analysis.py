import datetime

import pytest

from metrics.analysis import correlations, monthly_frame, rag_status, strongest
from oe21.lib.months import months_back


@pytest.mark.parametrize("value, target, direction, status", [
    (4.2, 4, "higher", "green"), (4, 4, "higher", "green"), (3.7, 4, "higher", "amber"),  # within 10 %
    (3.5, 4, "higher", "red"), (2, 2, "lower", "green"), (2.2, 2, "lower", "amber"),
    (2.5, 2, "lower", "red"), (None, 4, "higher", "none"), (3, None, "higher", "none"),
])
def test_red_amber_green_against_the_target(value, target, direction, status):
    assert rag_status(value, target, direction) == status


MONTHS = months_back(datetime.date(2027, 8, 1), 8)  # 2027-01 … 2027-08


def _frame(series: dict[int, list]):
    rows = [(measure, month, value) for measure, values in series.items()
            for month, value in zip(MONTHS, values, strict=True) if value is not None]
    return monthly_frame(rows, MONTHS)


def test_pearson_r_matches_a_hand_computation():
    # x = 1…6, y = 2,1,4,3,6,5: mean 3.5 each; Σdx·dy = 14.5, Σdx² = Σdy² = 17.5 → r = 29/35
    frame = _frame({1: [1, 2, 3, 4, 5, 6, None, None], 2: [2, 1, 4, 3, 6, 5, None, None]})
    lag0 = next(c for c in correlations(frame, [1], [2]) if c.lag == 0)
    assert lag0.n == 6
    assert lag0.r == pytest.approx(29 / 35)


def test_a_lag_pairs_the_driver_with_the_indicator_months_later():
    # the driver leads by one month: driver Jan…Jun = 1…6, indicator Feb…Jul = 2,1,4,3,6,5
    frame = _frame({1: [1, 2, 3, 4, 5, 6, None, None], 2: [None, 2, 1, 4, 3, 6, 5, None]})
    by_lag = {c.lag: c for c in correlations(frame, [1], [2])}
    assert (by_lag[1].n, by_lag[1].r) == (6, pytest.approx(29 / 35))
    assert by_lag[0].n == 5 and by_lag[0].r is None  # five months in common: not enough data
    assert (by_lag[2].n, by_lag[3].n) == (5, 4)


def test_fewer_than_six_points_is_not_enough_data():
    frame = _frame({1: [1, 2, 3, 4, 5, None, None, None], 2: [1, 2, 3, 4, 5, None, None, None]})
    assert all(c.r is None for c in correlations(frame, [1], [2]))
    assert strongest(correlations(frame, [1], [2])) == []


def test_a_perfect_relation_is_r_1_and_ranks_first():
    frame = _frame({1: [1, 2, 3, 4, 5, 6, 7, 8], 2: [3, 5, 7, 9, 11, 13, 15, 17], 3: [8, 1, 6, 3, 5, 4, 7, 2]})
    best = strongest(correlations(frame, [1], [2, 3]), count=1)[0]
    assert (best.indicator, best.lag, best.r) == (2, 0, pytest.approx(1.0))
