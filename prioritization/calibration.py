"""Does the matrix predict who buys? (#17, outcome-calibrated prioritization.)

Every opportunity that ended — Purchased (1) against Not interested or Unsubscribed (0) — is joined
with the complete assessment of the same account and offering in the same cycle. A logistic
regression of purchase on the criterion ratings (statsmodels) gives each criterion's effect (log-odds
per rating point) with its 95 % confidence interval. The ROC AUC of today's weighted score is set
beside the cross-validated AUC of the fitted weights (5 folds: each row is scored by a model that did
not see it), so a better-looking fit is not mistaken for a better rule. Under MIN_OUTCOMES nothing is
fitted.
"""

import hashlib
import math
import random
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Max

from .models import Assessment, Criterion, Rating

MIN_OUTCOMES = 30
FOLDS = 5
CACHE_SECONDS = 24 * 3600


def roc_auc(scores: list[float], labels: list[bool]) -> float | None:
    """The probability that a random positive scores above a random negative (ties count half):
    the Mann–Whitney form of the area under the ROC curve. None without both classes."""
    positives = [s for s, y in zip(scores, labels, strict=True) if y]
    negatives = [s for s, y in zip(scores, labels, strict=True) if not y]
    if not positives or not negatives:
        return None
    ranked = sorted(scores)
    # average rank (1-based) of each distinct score
    rank_of, i = {}, 0
    while i < len(ranked):
        j = i
        while j < len(ranked) and ranked[j] == ranked[i]:
            j += 1
        rank_of[ranked[i]] = (i + 1 + j) / 2
        i = j
    rank_sum = sum(rank_of[s] for s in positives)
    n_pos, n_neg = len(positives), len(negatives)
    return (rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


@dataclass(frozen=True)
class Effect:
    criterion: str
    weight: float  # today's weight
    coefficient: float  # log-odds of purchase per rating point
    low: float  # 95 % confidence interval
    high: float
    suggested_weight: float  # the positive effects scaled to today's total weight

    @property
    def odds_ratio(self) -> float:
        return math.exp(self.coefficient)


@dataclass(frozen=True)
class Calibration:
    outcomes: int
    purchases: int
    effects: list[Effect]
    auc_today: float | None  # today's weighted score
    auc_fitted: float | None  # the fitted weights, cross-validated
    problem: str = ""  # why nothing could be fitted

    @property
    def enough(self) -> bool:
        return self.outcomes >= MIN_OUTCOMES


def outcome_rows(criteria: list[Criterion]) -> tuple[list[list[int]], list[bool]]:
    """(ratings per criterion, purchased) of each ended opportunity with a complete assessment of
    its account and offering in its cycle."""
    from opportunities.selectors import closed_outcomes

    outcomes = closed_outcomes()
    if not outcomes:
        return [], []
    assessments = {(a.cycle_id, a.account_id, a.offering_id): a.pk for a in Assessment.objects.filter(
        cycle_id__in={c for c, _, _, _ in outcomes}, active_rated=len(criteria)).only("cycle", "account", "offering")}
    wanted = [(assessments[(c, a, o)], bought) for c, a, o, bought in outcomes if (c, a, o) in assessments]
    ratings: dict[int, dict[int, int]] = {}
    for assessment_id, criterion_id, value in Rating.objects.filter(
            assessment_id__in=[pk for pk, _ in wanted]).values_list("assessment_id", "criterion_id", "value"):
        ratings.setdefault(assessment_id, {})[criterion_id] = value
    rows = [[ratings[pk][c.pk] for c in criteria] for pk, _ in wanted]
    return rows, [bought for _, bought in wanted]


def fit(rows: list[list[int]], bought: list[bool]):
    """The logistic regression of `bought` on `rows` (with an intercept): its fitted result."""
    import warnings

    import numpy as np
    import statsmodels.api as sm
    from statsmodels.tools.sm_exceptions import ConvergenceWarning

    with warnings.catch_warnings():  # a fit that did not converge is said on the page (`converged`)
        warnings.simplefilter("ignore", ConvergenceWarning)
        return sm.Logit(np.asarray(bought, dtype=float), sm.add_constant(np.asarray(rows, dtype=float),
                                                                         has_constant="add")).fit(disp=0)


def _cross_validated_scores(rows, bought) -> list[float]:
    """Each row's linear predictor from a model fitted on the other folds (a seeded shuffle)."""
    order = list(range(len(rows)))
    random.Random(2027).shuffle(order)
    scores = [0.0] * len(rows)
    for fold in range(FOLDS):
        test = set(order[fold::FOLDS])
        train = [i for i in order if i not in test]
        result = fit([rows[i] for i in train], [bought[i] for i in train])
        for i in test:
            scores[i] = float(result.params[0] + sum(b * x for b, x in zip(result.params[1:], rows[i], strict=True)))
    return scores


def calibrate(criteria: list[Criterion] | None = None) -> Calibration:
    """The calibration of the active criteria against every ended opportunity (see the module).

    Kept in the cache until an outcome, a rating or a weight changes (the key is their counts and
    latest changes): the page does not refit six regressions on every visit."""
    criteria = criteria if criteria is not None else list(Criterion.objects.filter(is_active=True))
    key = _cache_key(criteria)
    found = cache.get(key)
    if found is None:
        found = _calibrate(criteria)
        cache.set(key, found, CACHE_SECONDS)
    return found


def _cache_key(criteria: list[Criterion]) -> str:
    from opportunities.selectors import closed_outcomes_fingerprint

    ratings = Rating.objects.aggregate(n=Count("pk"), last=Max("updated_at"), top=Max("pk"))
    state = (closed_outcomes_fingerprint(), tuple(sorted(ratings.items())), [(c.pk, str(c.weight)) for c in criteria])
    return "calibration:" + hashlib.sha256(repr(state).encode()).hexdigest()


def _calibrate(criteria: list[Criterion]) -> Calibration:
    rows, bought = outcome_rows(criteria)
    purchases = sum(bought)
    if len(rows) < MIN_OUTCOMES:
        return Calibration(len(rows), purchases, [], None, None)
    weights = [float(c.weight) for c in criteria]
    today = [sum(w * r for w, r in zip(weights, row, strict=True)) / sum(weights) for row in rows]
    auc_today = roc_auc(today, bought)
    if purchases in (0, len(rows)):
        return Calibration(len(rows), purchases, [], auc_today, None,
                           "Every ended opportunity has the same outcome: there is nothing to tell apart.")
    try:
        result = fit(rows, bought)
        auc_fitted = roc_auc(_cross_validated_scores(rows, bought), bought)
    except Exception as exc:  # perfect separation or a singular design: said on the page, nothing fitted
        return Calibration(len(rows), purchases, [], auc_today, None,
                           f"The regression cannot be fitted on these outcomes ({type(exc).__name__}): a criterion "
                           "may separate buyers perfectly, or be rated the same by everyone.")
    problem = "" if result.mle_retvals.get("converged", True) else (
        "The regression did not converge: the effects below are uncertain (often too few outcomes for the number "
        "of criteria, or a criterion that nearly separates buyers from the others).")
    intervals = result.conf_int(0.05)
    positive = [max(float(b), 0.0) for b in result.params[1:]]
    scale = sum(weights) / sum(positive) if sum(positive) else 0.0
    effects = [Effect(c.name, weights[i], float(result.params[i + 1]), float(intervals[i + 1][0]),
                      float(intervals[i + 1][1]), round(positive[i] * scale, 2)) for i, c in enumerate(criteria)]
    return Calibration(len(rows), purchases, effects, auc_today, auc_fitted, problem)
