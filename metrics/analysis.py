"""Task 3.2.9: status against target and the correlation of drivers (KRD) with indicators (KRI).

Correlation: Pearson r between a KRD's monthly values, shifted by a lag of 0–3 months (the driver
leads), and a KRI's monthly values, over the months where both have a value; fewer than six
such months is "not enough data".
"""

from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from .choices import AMBER_TOLERANCE, Direction

MIN_POINTS = 6
MAX_LAG = 3


def rag_status(value, target, direction: str, tolerance: float = AMBER_TOLERANCE) -> str:
    """green when the target is met, amber when within `tolerance` of it, red otherwise;
    "none" without a value or a target."""
    if value is None or target is None:
        return "none"
    value, target = Decimal(str(value)), Decimal(str(target))
    margin = abs(target) * Decimal(str(tolerance)) if target else Decimal(str(tolerance))
    if direction == Direction.LOWER:
        if value <= target:
            return "green"
        return "amber" if value <= target + margin else "red"
    if value >= target:
        return "green"
    return "amber" if value >= target - margin else "red"


@dataclass(frozen=True)
class Correlation:
    driver: int  # KRD measure id
    indicator: int  # KRI measure id
    lag: int  # months the driver leads
    n: int
    r: float | None  # None: not enough data (or no variation)

    @property
    def enough_data(self) -> bool:
        return self.r is not None


def monthly_frame(values: list[tuple[int, object, object]], months: list) -> pd.DataFrame:
    """(measure id, month, value) rows as a frame: one row per month of `months` (gaps kept as
    NaN, so a shift of one is one month), one column per measure."""
    frame = pd.DataFrame(values, columns=["measure", "month", "value"])
    if frame.empty:
        return pd.DataFrame(index=pd.DatetimeIndex(pd.to_datetime(months)))
    frame["month"] = pd.to_datetime(frame["month"])
    frame["value"] = frame["value"].astype(float)
    table = frame.pivot_table(index="month", columns="measure", values="value", aggfunc="mean")
    return table.reindex(pd.DatetimeIndex(pd.to_datetime(months)))


def correlations(frame: pd.DataFrame, drivers: list[int], indicators: list[int],
                 max_lag: int = MAX_LAG, min_points: int = MIN_POINTS) -> list[Correlation]:
    """Pearson r of every driver (lagged 0…max_lag months) with every indicator, over the months
    where both have a value: one pairwise correlation matrix per lag, not one computation per pair."""
    present_drivers = [d for d in drivers if d in frame]
    present_indicators = [i for i in indicators if i in frame]
    found: dict[tuple[int, int, int], tuple[int, float | None]] = {}
    if present_drivers and present_indicators:
        target = frame[present_indicators].set_axis([f"i{i}" for i in present_indicators], axis=1)
        for lag in range(max_lag + 1):
            shifted = frame[present_drivers].shift(lag).set_axis([f"d{d}" for d in present_drivers], axis=1)
            both = pd.concat([shifted, target], axis=1)
            r = both.corr(min_periods=min_points)  # pairwise complete observations; NaN below min_points
            seen = both.notna().astype(int)
            n = seen.T @ seen  # months where both have a value, per pair
            for driver in present_drivers:
                for indicator in present_indicators:
                    value = r.at[f"d{driver}", f"i{indicator}"]
                    found[(driver, indicator, lag)] = (int(n.at[f"d{driver}", f"i{indicator}"]),
                                                       None if pd.isna(value) else float(value))
    return [Correlation(driver, indicator, lag, *found.get((driver, indicator, lag), (0, None)))
            for driver in drivers for indicator in indicators for lag in range(max_lag + 1)]


CORRELATIONS_KEPT = 60 * 60 * 24 * 40  # seconds: a stored result is for the same numbers, so it never goes stale


def stored_correlations(frame: pd.DataFrame, drivers: list[int], indicators: list[int]) -> list[Correlation]:
    """`correlations(...)`, computed once for a given set of numbers and kept in the cache (Redis in
    production, shared by every web worker): the key is a digest of the monthly values, the measures
    and the rule, so any new or changed value gives a new key and nothing is ever invalidated by
    hand. The nightly recompute fills it for the default review (`services.recompute_measures`)."""
    import hashlib

    from django.core.cache import cache

    digest = hashlib.sha256(repr((drivers, indicators, list(frame.columns), MAX_LAG, MIN_POINTS)).encode())
    digest.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    return cache.get_or_set(f"oe21:metrics:correlations:{digest.hexdigest()}",
                            lambda: correlations(frame, drivers, indicators), CORRELATIONS_KEPT)


def strongest(results: list[Correlation], count: int = 5) -> list[Correlation]:
    return sorted((c for c in results if c.enough_data), key=lambda c: abs(c.r), reverse=True)[:count]
