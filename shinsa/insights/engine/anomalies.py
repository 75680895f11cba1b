"""Anomalies in daily counts, with weekly seasonality and release days taken into account (pure).

The baseline of a day is robust and seasonal: the level is the median of the previous four weeks, each
weekday has its own factor (the median of that weekday over the previous eight weeks, divided by the
level), and the spread is the MAD of the residuals over the same history (scaled by 1.4826 so it reads
as a standard deviation), never below the Poisson spread sqrt(expected) nor below 1. Release days (a
title's availability starting) are left out of the history and need a higher score, because a launch
day legitimately draws more reports and hits.

The score is (value - expected) / spread; a day is anomalous when the score reaches the threshold, the
excess over the baseline is at least ``min_excess`` (so a quiet series does not page for 0 → 3), and
the count is also improbable as a Poisson draw around the baseline (tail probability below ``MAX_P``):
for small counts the normal approximation behind the score overstates how rare a value is, so a series
averaging one report a day does not page for six.
"""

from __future__ import annotations

import datetime
import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

MAD_TO_SIGMA = 1.4826
LEVEL_DAYS = 28
SEASON_DAYS = 56
MIN_HISTORY_DAYS = 21
THRESHOLD = 4.0
RELEASE_DAY_THRESHOLD = 6.0
MIN_EXCESS = 5.0
MAX_P = 1e-4


@dataclass(frozen=True, kw_only=True, slots=True)
class Baseline:
    expected: float
    spread: float
    mean: float  # of the last 28 days: the Poisson rate when the median baseline is zero


@dataclass(frozen=True, kw_only=True, slots=True)
class Anomaly:
    day: datetime.date
    value: float
    expected: float
    spread: float
    score: float
    release_day: bool
    p_value: float

    @property
    def excess(self) -> float:
        return self.value - self.expected


@dataclass(frozen=True, kw_only=True, slots=True)
class Driver:
    """One key (a title) and how much of the day's excess it accounts for."""

    key: str
    value: float
    typical: float
    share: float  # of the series' excess, 0–1 (can exceed 1 when other keys fell)


def baseline(history: Sequence[tuple[datetime.date, float]], day: datetime.date) -> Baseline | None:
    """The seasonal baseline of ``day`` from the days before it (oldest first), or None if too short."""
    if len(history) < MIN_HISTORY_DAYS:
        return None
    recent = [value for _, value in history[-LEVEL_DAYS:]]
    level = statistics.median(recent)
    season = history[-SEASON_DAYS:]
    factors = _weekday_factors(season, level)
    residuals = [value - level * factors[d.weekday()] for d, value in season]
    centre = statistics.median(residuals)
    mad = statistics.median(abs(r - centre) for r in residuals)
    expected = level * factors[day.weekday()]
    spread = max(MAD_TO_SIGMA * mad, math.sqrt(max(expected, 0.0)), 1.0)
    return Baseline(expected=expected, spread=spread, mean=statistics.fmean(recent))


def _weekday_factors(season: Sequence[tuple[datetime.date, float]], level: float) -> list[float]:
    factors = [1.0] * 7
    if level <= 0:
        return factors
    for weekday in range(7):
        values = [value for d, value in season if d.weekday() == weekday]
        if len(values) >= 2:
            factors[weekday] = statistics.median(values) / level
    return factors


def poisson_tail(value: float, expected: float) -> float:
    """P(X ≥ value) for X ~ Poisson(expected), summed in log space (exact for the counts used here)."""
    k = math.ceil(value)
    if k <= 0:
        return 1.0
    if expected <= 0:
        return 0.0
    # P(X ≥ k) = 1 - P(X ≤ k - 1); for a far tail sum the terms upward instead (no cancellation).
    if k > expected:
        log_term = -expected + k * math.log(expected) - math.lgamma(k + 1)
        total, n = 0.0, k
        while True:
            term = math.exp(log_term)
            total += term
            if term < total * 1e-15 or n > k + 10_000:
                return min(total, 1.0)
            n += 1
            log_term += math.log(expected) - math.log(n)
    below = sum(math.exp(-expected + n * math.log(expected) - math.lgamma(n + 1)) for n in range(k))
    return max(0.0, 1.0 - below)


def detect(
    series: Sequence[tuple[datetime.date, float]],
    *,
    release_days: frozenset[datetime.date] = frozenset(),
    check_last: int | None = None,
    threshold: float = THRESHOLD,
    release_threshold: float = RELEASE_DAY_THRESHOLD,
    min_excess: float = MIN_EXCESS,
    max_p: float = MAX_P,
) -> list[Anomaly]:
    """Anomalous days of a consecutive, zero-filled daily series (oldest first).

    Each day is judged against the days before it only (as it would have been on the day), with
    release days and days already found anomalous left out of its history. ``check_last`` limits the
    judged days to the most recent ones.
    """
    found: list[Anomaly] = []
    history: list[tuple[datetime.date, float]] = []
    first = 0 if check_last is None else max(0, len(series) - check_last)
    for index, (day, value) in enumerate(series):
        is_release = day in release_days
        anomaly = None
        if index >= first:
            base = baseline(history, day)
            if base is not None:
                score = (value - base.expected) / base.spread
                limit = release_threshold if is_release else threshold
                p_value = poisson_tail(value, base.expected if base.expected > 0 else base.mean)
                if score >= limit and value - base.expected >= min_excess and p_value < max_p:
                    anomaly = Anomaly(
                        day=day,
                        value=value,
                        expected=base.expected,
                        spread=base.spread,
                        score=score,
                        release_day=is_release,
                        p_value=p_value,
                    )
                    found.append(anomaly)
        if not is_release and anomaly is None:
            history.append((day, value))
    return found


def drivers(
    *,
    on_day: Mapping[str, float],
    typical: Mapping[str, float],
    excess: float,
    limit: int = 3,
) -> list[Driver]:
    """The keys (titles) whose rise over their typical day explains most of ``excess``, largest first."""
    rises = []
    for key, value in on_day.items():
        usual = typical.get(key, 0.0)
        if value - usual > 0:
            rises.append(
                Driver(
                    key=key, value=value, typical=usual, share=(value - usual) / excess if excess > 0 else 0.0
                )
            )
    rises.sort(key=lambda d: (-(d.value - d.typical), d.key))
    return rises[:limit]


def fill_days(
    counts: Mapping[datetime.date, float], since: datetime.date, until: datetime.date
) -> list[tuple[datetime.date, float]]:
    """A consecutive series from ``since`` to ``until`` inclusive, with missing days as zero."""
    days = (until - since).days + 1
    return [
        (since + datetime.timedelta(days=n), float(counts.get(since + datetime.timedelta(days=n), 0)))
        for n in range(max(days, 0))
    ]
