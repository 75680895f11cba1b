"""The percentile bootstrap: seeded and repeatable, drops undefined resamples, null when it cannot say."""

from __future__ import annotations

import numpy as np
import pytest

from shinsa.quality.metrics import Metric, Rating, RatingsTable, agreement, krippendorff_alpha
from shinsa.quality.metrics.bootstrap import percentile_interval
from tests.quality.reference_data import FLEISS_1971_DIAGNOSES, KRIPPENDORFF_2011, table_from_grid


def test_it_gives_the_same_interval_every_time():
    table = table_from_grid(FLEISS_1971_DIAGNOSES)
    first = [agreement(table, metric).ci95 for metric in Metric if metric not in {Metric.COHEN, Metric.SCOTT}]
    again = [agreement(table, metric).ci95 for metric in Metric if metric not in {Metric.COHEN, Metric.SCOTT}]
    assert first == again and all(interval is not None for interval in first)


def test_the_interval_surrounds_the_value_and_narrows_with_more_units():
    small = krippendorff_alpha(table_from_grid(FLEISS_1971_DIAGNOSES))
    large = krippendorff_alpha(table_from_grid(FLEISS_1971_DIAGNOSES * 10))
    assert small.ci95[0] < small.value < small.ci95[1]
    assert large.value == pytest.approx(small.value, abs=0.02)
    assert large.ci95[1] - large.ci95[0] < (small.ci95[1] - small.ci95[0]) / 2


def test_it_is_the_percentile_interval_of_the_resampled_values():
    # The mean of one number per unit: the interval must match a plain loop over the same draws.
    contributions = np.arange(10, dtype=float)[:, None] ** 2
    interval = percentile_interval(contributions, lambda totals: totals[:, 0] / 10, resamples=200, seed=5)
    rng = np.random.default_rng(5)
    means = [contributions[rng.integers(0, 10, size=10), 0].mean() for _ in range(200)]
    assert interval == pytest.approx(tuple(np.quantile(means, [0.025, 0.975])))


def test_it_drops_undefined_resamples_and_gives_up_when_too_many_are_undefined():
    contributions = np.array([[0.0], [1.0], [2.0]])

    def undefined_below(limit: float):
        return lambda totals: np.where(totals[:, 0] < limit, np.nan, totals[:, 0])

    assert percentile_interval(contributions, undefined_below(1)) is not None  # only 0+0+0: 1/27
    assert percentile_interval(contributions, undefined_below(3)) is None  # 10/27


def test_it_gives_no_interval_for_a_single_unit():
    rows = [Rating("u1", "a", "x"), Rating("u1", "b", "x"), Rating("u1", "c", "y")]
    result = agreement(RatingsTable.from_rows(rows), Metric.PERCENT)
    assert result.value == pytest.approx(1 / 3) and result.ci95 is None


def test_it_gives_no_interval_when_most_resamples_lack_variation():
    # Only the last unit holds a "2": about (3/4)^4 = 32 % of resamples miss it and have no variation.
    grid = [[1, 1], [1, 1], [1, 1], [2, 1]]
    result = krippendorff_alpha(table_from_grid(grid))
    assert result.ci95 is None
    assert krippendorff_alpha(table_from_grid(KRIPPENDORFF_2011)).ci95 is not None


@pytest.mark.parametrize("metric", [m for m in Metric if m not in {Metric.COHEN, Metric.SCOTT}])
def test_it_skips_the_interval_when_asked_and_keeps_the_value(metric):
    from shinsa.quality.metrics.coefficients import METRICS

    table = table_from_grid(FLEISS_1971_DIAGNOSES)
    with_interval = METRICS[metric](table)
    without = METRICS[metric](table, interval=False)
    assert without.ci95 is None and with_interval.ci95 is not None
    assert without.value == with_interval.value
