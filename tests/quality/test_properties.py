"""Properties every metric keeps: perfect agreement is 1, order of rows/units/raters does not matter."""

from __future__ import annotations

import random

import numpy as np
import pytest

from shinsa.quality.metrics import METRICS, Level, Metric, Rating, RatingsTable, agreement
from tests.quality.reference_data import rows_from_grid

ALL_RATERS = [Metric.PERCENT, Metric.FLEISS, Metric.ALPHA, Metric.AC1]


def random_rows(seed: int, raters: int, units: int = 40, missing: float = 0.2) -> list[Rating]:
    rng = np.random.default_rng(seed)
    truth = rng.integers(1, 5, units)
    grid = np.where(rng.random((units, raters)) < 0.7, truth[:, None], rng.integers(1, 5, (units, raters)))
    cells = grid.astype(object)
    cells[rng.random((units, raters)) < missing] = None
    cells[:, 0] = grid[:, 0]  # every unit keeps at least one rating
    return rows_from_grid(cells.tolist())


def cases():
    for metric in Metric:
        for level in Level:
            yield metric, level


@pytest.mark.parametrize(("metric", "level"), list(cases()))
def test_perfect_agreement_scores_one(metric, level):
    raters = 2 if metric in {Metric.COHEN, Metric.SCOTT} else 4
    grid = [[value] * raters for value in (1, 2, 3, 3, 2, 1, 4)]
    grid[2][1] = None  # a missing rating does not make agreement imperfect
    result = agreement(RatingsTable.from_rows(rows_from_grid(grid), level), metric)
    assert result.value == pytest.approx(1.0)
    assert result.observed_agreement == pytest.approx(1.0)


@pytest.mark.parametrize(("metric", "level"), list(cases()))
def test_shuffling_rows_and_renaming_units_changes_nothing_not_even_the_interval(metric, level):
    rows = sample_rows(metric, level)
    before = agreement(RatingsTable.from_rows(rows, level), metric)
    units = sorted({row.unit for row in rows})
    renamed = dict(zip(units, random.Random(1).sample(units, len(units)), strict=True))
    shuffled = [Rating(renamed[r.unit], r.rater, r.label) for r in rows]
    random.Random(3).shuffle(shuffled)
    after = agreement(RatingsTable.from_rows(shuffled, level), metric)
    assert after.value == pytest.approx(before.value, abs=1e-12)
    assert after.ci95 == pytest.approx(before.ci95, abs=1e-12)


@pytest.mark.parametrize(("metric", "level"), list(cases()))
def test_renaming_raters_changes_no_value(metric, level):
    rows = sample_rows(metric, level)
    raters = sorted({row.rater for row in rows})
    renamed = dict(zip(raters, reversed(raters), strict=True))
    before = agreement(RatingsTable.from_rows(rows, level), metric)
    after = agreement(
        RatingsTable.from_rows([Rating(r.unit, renamed[r.rater], r.label) for r in rows], level), metric
    )
    assert after.value == pytest.approx(before.value, abs=1e-12)
    if metric is not Metric.COHEN:  # Cohen's contributions name the first and second rater
        assert after.ci95 == pytest.approx(before.ci95, abs=1e-12)


def sample_rows(metric: Metric, level: Level) -> list[Rating]:
    two = metric in {Metric.COHEN, Metric.SCOTT}
    seed = list(Metric).index(metric) * 3 + list(Level).index(level)
    return random_rows(seed=seed, raters=2 if two else 5, missing=0.0 if two else 0.2)


@pytest.mark.parametrize("metric", ALL_RATERS)
@pytest.mark.parametrize("level", [Level.ORDINAL, Level.INTERVAL])
def test_one_and_one_point_zero_are_the_same_label_at_numeric_levels(metric, level):
    rows = random_rows(seed=7, raters=4)
    respelled = [Rating(r.unit, r.rater, f"{r.label}.0" if i % 2 else r.label) for i, r in enumerate(rows)]
    plain = agreement(RatingsTable.from_rows(rows, level), metric)
    assert agreement(RatingsTable.from_rows(respelled, level), metric) == plain


@pytest.mark.parametrize("metric", [m for m in Metric if m is not Metric.ALPHA])
def test_renaming_nominal_labels_changes_nothing(metric):
    raters = 2 if metric in {Metric.COHEN, Metric.SCOTT} else 4
    rows = random_rows(seed=11, raters=raters, missing=0.0 if raters == 2 else 0.2)
    names = {"1": "violence", "2": "nudity", "3": "language", "4": "drugs"}
    renamed = [Rating(r.unit, r.rater, names[r.label]) for r in rows]
    before = agreement(RatingsTable.from_rows(rows), metric)
    after = agreement(RatingsTable.from_rows(renamed), metric)
    assert after.value == pytest.approx(before.value, abs=1e-12)


def test_every_metric_is_in_the_registry():
    assert set(METRICS) == set(Metric)


@pytest.mark.parametrize("metric", ALL_RATERS)
def test_more_agreement_scores_higher(metric):
    noisy = agreement(RatingsTable.from_rows(random_rows(seed=5, raters=4)), metric).value
    grid = [[1, 1, 1, 2], [2, 2, 2, 2], [3, 3, 3, 3], [4, 4, 4, 4], [1, 1, 1, 1], [2, 2, 3, 2]]
    tight = agreement(RatingsTable.from_rows(rows_from_grid(grid)), metric).value
    assert tight > noisy
