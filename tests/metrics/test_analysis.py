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


def test_the_correlation_matrix_gives_what_each_pair_gives_alone():
    """One matrix per lag (what the review computes) against pandas on each pair, with gaps."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(7)
    months = pd.date_range("2025-01-01", periods=24, freq="MS")
    frame = pd.DataFrame(rng.normal(size=(24, 5)), index=months, columns=[1, 2, 3, 4, 5])
    frame.iloc[[2, 3, 11], 0] = np.nan
    frame.iloc[[5, 17, 18, 19, 20, 21, 22, 23], 3] = np.nan
    frame[5] = frame[5].where(frame.index < months[4])  # only four values: not enough data
    results = {(c.driver, c.indicator, c.lag): c for c in correlations(frame, [1, 2, 9], [3, 4, 5])}
    assert len(results) == 3 * 3 * 4
    for driver in (1, 2):
        for indicator in (3, 4):
            for lag in range(4):
                pair = pd.concat([frame[driver].shift(lag), frame[indicator]], axis=1).dropna()
                got = results[(driver, indicator, lag)]
                assert got.n == len(pair)
                assert got.r == pytest.approx(pair.iloc[:, 0].corr(pair.iloc[:, 1]), abs=1e-12)
    assert results[(2, 5, 0)].r is None and results[(2, 5, 0)].n == 4
    assert results[(1, 5, 0)].n == 2  # months 0 and 1: driver 1 has no value in months 2 and 3
    assert (results[(9, 3, 2)].n, results[(9, 3, 2)].r) == (0, None)  # a driver without values


def test_correlations_are_computed_once_per_set_of_numbers(monkeypatch):
    from django.core.cache import cache

    from metrics import analysis

    cache.clear()
    computed = []
    real = analysis.correlations
    monkeypatch.setattr(analysis, "correlations", lambda *args: computed.append(1) or real(*args))
    frame = _frame({1: [1, 2, 3, 4, 5, 6, None, None], 2: [2, 1, 4, 3, 6, 5, None, None]})
    first = analysis.stored_correlations(frame, [1], [2])
    again = analysis.stored_correlations(frame.copy(), [1], [2])
    assert first == again and len(computed) == 1
    assert next(c for c in again if c.lag == 0).r == pytest.approx(29 / 35)
    changed = _frame({1: [1, 2, 3, 4, 5, 7, None, None], 2: [2, 1, 4, 3, 6, 5, None, None]})
    analysis.stored_correlations(changed, [1], [2])
    assert len(computed) == 2  # a changed value is a new set of numbers


@pytest.mark.django_db
def test_the_nightly_recompute_leaves_the_default_reviews_correlations_stored(monkeypatch):
    from django.core.cache import cache

    from metrics import analysis, tasks

    cache.clear()
    computed = []
    real = analysis.correlations
    monkeypatch.setattr(analysis, "correlations", lambda *args: computed.append(1) or real(*args))
    tasks.recompute_measures_nightly()
    assert len(computed) == 1
    from metrics import selectors

    selectors.review(month=selectors.default_review_month())  # the morning's first reader
    assert len(computed) == 1
