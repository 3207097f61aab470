"""Voice of the customer: the sample size of a survey (SPEC §11, seed 001).

n₀ = z²·p(1−p)/e², and for a population of N: n = n₀ / (1 + (n₀ − 1)/N), rounded up once,
at the end. z is 1.645, 1.960 or 2.576 for 90, 95 or 99 % confidence. Surveys to send =
n ÷ the expected response rate, rounded up.
"""

import math
from dataclasses import dataclass

Z_SCORES = {90: 1.645, 95: 1.960, 99: 2.576}


@dataclass(frozen=True)
class SampleSize:
    n0: float  # before the finite-population correction, not rounded
    n: int  # needed responses
    z: float

    def surveys_to_send(self, response_rate_percent: float) -> int:
        if not 0 < response_rate_percent <= 100:
            raise ValueError("The expected response rate is a percentage above 0 and at most 100.")
        return math.ceil(self.n * 100 / response_rate_percent - 1e-9)


def sample_size(*, population: int | None, confidence: int = 95, margin_of_error: float = 0.05,
                proportion: float = 0.5) -> SampleSize:
    """How many responses a survey needs for the confidence and margin of error asked for."""
    if confidence not in Z_SCORES:
        raise ValueError("The confidence level is 90, 95 or 99 %.")
    if not 0 < margin_of_error <= 0.5:
        raise ValueError("The margin of error is above 0 and at most 0.5 (50 %).")
    if not 0 < proportion < 1:
        raise ValueError("The expected proportion is strictly between 0 and 1 (0.5 when unknown).")
    if population is not None and population < 1:
        raise ValueError("The population is at least 1 (leave it empty when unknown or very large).")
    z = Z_SCORES[confidence]
    n0 = z * z * proportion * (1 - proportion) / (margin_of_error * margin_of_error)
    n = n0 if population is None else n0 / (1 + (n0 - 1) / population)
    # Round up once, at the end; the tiny tolerance keeps 278.0000000001 from becoming 279.
    return SampleSize(n0=n0, n=math.ceil(round(n, 9)), z=z)
