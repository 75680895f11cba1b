"""Scott's pi: Cohen's kappa with pooled marginals."""

from __future__ import annotations

import pytest

from shinsa.quality.metrics import Level, Problem, UndefinedMetric, scott_pi
from tests.quality.reference_data import PARADOX_CONTINGENCY, grid_from_contingency, table_from_grid


def test_it_takes_chance_from_the_pooled_marginals():
    result = scott_pi(table_from_grid(grid_from_contingency(PARADOX_CONTINGENCY, ["+", "-"])))
    pooled_plus = 243 / 250
    expected = pooled_plus**2 + (1 - pooled_plus) ** 2
    assert result.expected_agreement == pytest.approx(expected)
    assert result.value == pytest.approx((0.944 - expected) / (1 - expected))


def test_it_weights_by_level_like_cohens_kappa():
    # Ratings 1, 2, 2, 2, 3, 3, 3, 1: pooled shares 1/4, 3/8, 3/8. Linear disagreement |i - j| / 2.
    # Expected: p1 p2 + 2 p1 p3 + p2 p3 = 27/64; observed: (1/2 + 0 + 0 + 1) / 4 = 3/8.
    result = scott_pi(table_from_grid([[1, 2], [2, 2], [3, 3], [3, 1]], Level.ORDINAL))
    assert result.observed_agreement == pytest.approx(1 - 3 / 8)
    assert result.expected_agreement == pytest.approx(1 - 27 / 64)
    assert result.value == pytest.approx(1 - (3 / 8) / (27 / 64))


def test_it_refuses_three_raters():
    with pytest.raises(UndefinedMetric) as error:
        scott_pi(table_from_grid([["a", "b", "a"]]))
    assert error.value.reason is Problem.NEEDS_TWO_RATERS
