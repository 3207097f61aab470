"""Task 3.2.1: the prioritization score and estimated success (SPEC §3), in one place.

Score = Σ wᵢ·rᵢ / Σ wᵢ on the 1–5 scale, and (score − 1) / 4 × 100 on 0–100.
Estimated success: High at 75 or more, Medium at 50 or more, Low below.
A missing rating is left out of both sums, and the row is flagged incomplete.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

HIGH_FROM = Decimal(75)
MEDIUM_FROM = Decimal(50)


@dataclass(frozen=True)
class Score:
    value: Decimal | None  # 1–5, None when nothing is rated
    complete: bool

    @property
    def percent(self) -> Decimal | None:
        return None if self.value is None else (self.value - 1) / 4 * 100

    @property
    def estimated_success(self) -> str:
        return estimated_success(self.percent)


def weighted_score(weighted_ratings: Iterable[tuple[Decimal, int | None]]) -> Score:
    """Score of one row from (weight, rating or None) pairs of the criteria that apply."""
    total = weights = Decimal(0)
    complete = True
    for weight, rating in weighted_ratings:
        if rating is None:
            complete = False
            continue
        total += Decimal(weight) * rating
        weights += Decimal(weight)
    return Score(value=(total / weights) if weights else None, complete=complete)


def estimated_success(percent: Decimal | None) -> str:
    if percent is None:
        return "—"
    if percent >= HIGH_FROM:
        return "High"
    if percent >= MEDIUM_FROM:
        return "Medium"
    return "Low"


def high_value_targets(scored: list[tuple[Any, Decimal | None]]) -> list[Any]:
    """The top quartile of a matrix by score: the ⌈n/4⌉ best-scoring rows, plus any row that
    ties with the lowest of them. Rows without a score are not targets."""
    ranked = sorted(((item, value) for item, value in scored if value is not None),
                    key=lambda pair: pair[1], reverse=True)
    if not ranked:
        return []
    cutoff = ranked[-(-len(ranked) // 4) - 1][1]
    return [item for item, value in ranked if value >= cutoff]
