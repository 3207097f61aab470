from decimal import Decimal

import pytest

from prioritization.scoring import estimated_success, weighted_score
from prioritization.selectors import criteria_in_use, matrix_queryset, page_rows

from ..factories import OfferingFactory, active_criteria, rated_assessment


def test_equal_weights_give_the_plain_mean():
    # (4+4+5+3+2+5+5)/7 = 28/7 = 4 → (4-1)/4*100 = 75 → High
    score = weighted_score([(Decimal(1), r) for r in [4, 4, 5, 3, 2, 5, 5]])
    assert score.value == 4 and score.percent == 75 and score.estimated_success == "High"
    assert score.complete


def test_unequal_weights():
    # (2*5 + 1*3 + 1*1) / (2+1+1) = 14/4 = 3.5 → (3.5-1)/4*100 = 62.5 → Medium
    score = weighted_score([(Decimal(2), 5), (Decimal(1), 3), (Decimal(1), 1)])
    assert score.value == Decimal("3.5")
    assert score.percent == Decimal("62.5")
    assert score.estimated_success == "Medium"


def test_a_missing_rating_is_left_out_of_both_sums_and_flags_the_row():
    # (1*4 + 3*2) / (1+3) = 10/4 = 2.5; the weight-5 criterion is unrated → 37.5 → Low
    score = weighted_score([(Decimal(1), 4), (Decimal(5), None), (Decimal(3), 2)])
    assert score.value == Decimal("2.5")
    assert score.percent == Decimal("37.5")
    assert score.estimated_success == "Low"
    assert not score.complete


def test_nothing_rated_has_no_score():
    score = weighted_score([(Decimal(1), None)])
    assert score.value is None and score.percent is None and score.estimated_success == "—"


@pytest.mark.parametrize("percent, band", [(75, "High"), (Decimal("74.99"), "Medium"),
                                           (50, "Medium"), (Decimal("49.9"), "Low"), (0, "Low")])
def test_estimated_success_bands(percent, band):
    assert estimated_success(Decimal(percent)) == band


@pytest.mark.django_db
def test_the_matrix_ranks_rows_by_score(cycle):
    offering = OfferingFactory()
    low = rated_assessment(cycle=cycle, offering=offering, values=[2] * 7)
    high = rated_assessment(cycle=cycle, offering=offering, values=[5] * 7)
    criteria = active_criteria()
    criteria[0].weight = 3
    criteria[0].save()
    rows = page_rows(criteria_in_use(cycle), matrix_queryset(cycle), None)  # ranked by the database
    assert [r.assessment for r in rows] == [high, low]
    assert rows[0].score.percent == 100 and rows[1].score.percent == 25
