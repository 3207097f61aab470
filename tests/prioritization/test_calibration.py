"""Does the matrix predict who buys (#17): the AUC by hand, the fit recovers known weights, and the
page fits nothing under 30 ended opportunities."""

import math
import random

import pytest
from django.urls import reverse

from prioritization.calibration import MIN_OUTCOMES, calibrate, fit, roc_auc

from ..factories import AccountFactory, OfferingFactory, active_criteria, make_opportunity, rated_assessment


def test_the_auc_by_hand():
    # positives 0.35 and 0.8 against negatives 0.1 and 0.4: 0.35 > 0.1, 0.35 < 0.4, 0.8 > both → 3 of 4 pairs
    assert roc_auc([0.1, 0.4, 0.35, 0.8], [False, False, True, True]) == 0.75
    assert roc_auc([1, 1, 2], [True, False, True]) == 0.75  # a tie counts half: (0.5 + 1) / 2
    assert roc_auc([1, 2], [True, True]) is None  # one class only


def _logistic_sample(true_weights, n, seed=7):
    """Ratings 1–5 at random; purchase drawn with probability σ(Σ wᵢ·(rᵢ − 3))."""
    rng = random.Random(seed)
    rows, bought = [], []
    for _ in range(n):
        row = [rng.randint(1, 5) for _ in true_weights]
        chance = 1 / (1 + math.exp(-sum(w * (r - 3) for w, r in zip(true_weights, row, strict=True))))
        rows.append(row)
        bought.append(rng.random() < chance)
    return rows, bought


def test_the_fit_recovers_the_order_of_known_weights():
    rows, bought = _logistic_sample([1.2, 0.5, 0.0], 800)
    result = fit(rows, bought)
    strong, mild, none = (float(b) for b in result.params[1:])
    assert strong > mild > none
    low, high = result.conf_int(0.05)[1]
    assert low > 0  # the strong criterion's interval excludes zero
    low, high = result.conf_int(0.05)[3]
    assert low < 0 < high  # the criterion without effect: its interval spans zero


def _ended_opportunities(cycle, salesperson, n, *, seed, not_bought):
    """n accounts rated for one offering at random, each with an opportunity that ended: purchased
    with probability σ(1.0·(r₁ − 3) + 0.6·(r₂ − 3)), the other criteria without effect."""
    offering = OfferingFactory()
    rows, bought = _logistic_sample([1.0, 0.6, 0, 0, 0, 0, 0], n, seed=seed)
    for row, purchased in zip(rows, bought, strict=True):
        account = AccountFactory()
        rated_assessment(cycle=cycle, offering=offering, account=account, values=row)
        make_opportunity(cycle=cycle, salesperson=salesperson, account=account, offering=offering,
                         status="purchased" if purchased else not_bought)
    return rows, bought


@pytest.mark.django_db
def test_under_30_outcomes_the_page_says_so_and_fits_nothing(client_for, viewer_user, cft_user, cycle):
    criteria = active_criteria()
    offering = OfferingFactory()
    for i in range(MIN_OUTCOMES - 1):
        account = AccountFactory()
        rated_assessment(cycle=cycle, offering=offering, account=account, values=[3] * 7)
        make_opportunity(cycle=cycle, salesperson=cft_user, account=account, offering=offering,
                         status="purchased" if i % 2 else "not_interested")
    assert calibrate(criteria).effects == []
    page = client_for(viewer_user).get(reverse("prioritization:calibration")).content.decode()
    assert 'data-testid="calibration-not-enough"' in page and "29 of the\n  30 needed" in page
    assert 'data-testid="calibration-effects"' not in page


@pytest.mark.django_db
def test_with_enough_outcomes_the_page_shows_each_criterions_effect_and_both_aucs(client_for, viewer_user,
                                                                                 cft_user, cycle):
    criteria = active_criteria()
    rows, bought = _ended_opportunities(cycle, cft_user, 60, seed=11, not_bought="unsubscribed")
    AccountFactory()  # an account without an ended opportunity is left out
    result = calibrate(criteria)
    assert (result.outcomes, result.purchases) == (60, sum(bought))
    weights = [float(c.weight) for c in criteria]
    today = [sum(w * r for w, r in zip(weights, row, strict=True)) for row in rows]
    assert result.auc_today == pytest.approx(roc_auc(today, bought))
    assert 0.5 < result.auc_fitted <= 1
    assert [e.criterion for e in result.effects] == [c.name for c in criteria]
    assert sum(e.suggested_weight for e in result.effects) == pytest.approx(sum(weights), abs=0.05)
    page = client_for(viewer_user).get(reverse("prioritization:calibration")).content.decode()
    assert 'data-testid="calibration-effects"' in page and criteria[0].name in page


@pytest.mark.django_db
def test_the_fit_is_kept_until_an_outcome_or_a_rating_changes(cft_user, cycle, django_assert_max_num_queries):
    from opportunities.models import Opportunity

    criteria = active_criteria()
    _ended_opportunities(cycle, cft_user, 40, seed=5, not_bought="not_interested")
    first = calibrate(criteria)
    with django_assert_max_num_queries(2):  # the cache key's two aggregates; no refit
        assert calibrate(criteria) == first
    changed = Opportunity.objects.filter(status="not_interested").first()
    changed.status = "purchased"
    changed.save()
    again = calibrate(criteria)
    assert again.purchases == first.purchases + 1
