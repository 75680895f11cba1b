"""Gwet's AC1 (nominal) and AC2 (weighted at the ordinal and interval levels) against Gwet's examples."""

from __future__ import annotations

import pytest

from shinsa.quality.metrics import Level, Problem, UndefinedMetric, gwet_ac1
from tests.quality.reference_data import (
    GWET_2014_TABLE_3_5,
    KRIPPENDORFF_2011,
    PARADOX_CONTINGENCY,
    grid_from_contingency,
    table_from_grid,
)


def test_it_matches_gwets_multi_rater_example_with_missing_ratings():
    result = gwet_ac1(table_from_grid(KRIPPENDORFF_2011))
    assert result.value == pytest.approx(0.7754, abs=5e-5)
    assert result.observed_agreement == pytest.approx(0.8182, abs=5e-5)
    assert result.expected_agreement == pytest.approx(0.1903, abs=5e-5)


def test_it_is_ac2_with_quadratic_weights_at_the_interval_level():
    result = gwet_ac1(table_from_grid(GWET_2014_TABLE_3_5, Level.INTERVAL))
    assert result.value == pytest.approx(0.8262, abs=1e-4)
    assert result.observed_agreement == pytest.approx(0.9375)
    assert result.expected_agreement == pytest.approx(0.6405, abs=5e-5)


def test_it_is_ac2_with_linear_weights_at_the_ordinal_level():
    # Three categories, linear weights 1, 1/2, 0: T_w = 3 + 4 * 1/2 = 5; p_e = 5/6 * sum pi_k (1 - pi_k).
    table = table_from_grid(GWET_2014_TABLE_3_5, Level.ORDINAL)
    pi = [2.5 / 11, 5 / 11, 3.5 / 11]
    expected = 5 / 6 * sum(p * (1 - p) for p in pi)
    observed = (6 + 2 * 0.5) / 8
    result = gwet_ac1(table)
    assert result.expected_agreement == pytest.approx(expected)
    assert result.value == pytest.approx((observed - expected) / (1 - expected))


def test_it_stays_near_raw_agreement_when_a_label_is_rare():
    result = gwet_ac1(table_from_grid(grid_from_contingency(PARADOX_CONTINGENCY, ["+", "-"])))
    assert result.value == pytest.approx(0.9407763376, abs=1e-9)
    assert result.expected_agreement == pytest.approx(0.054432)


def test_it_is_undefined_with_a_single_label():
    with pytest.raises(UndefinedMetric) as error:
        gwet_ac1(table_from_grid([["n", "n"], ["n", "n"]]))
    assert error.value.reason is Problem.NO_VARIATION
