"""Fleiss' kappa: Fleiss 1971, Wikipedia's example, statsmodels, and Gwet's form for missing ratings."""

from __future__ import annotations

import numpy as np
import pytest
from statsmodels.stats.inter_rater import aggregate_raters
from statsmodels.stats.inter_rater import fleiss_kappa as statsmodels_fleiss

from shinsa.quality.metrics import Level, Problem, UndefinedMetric, fleiss_kappa, scott_pi
from tests.quality.reference_data import (
    FLEISS_1971_DIAGNOSES,
    GWET_2014_TABLE_3_5,
    KRIPPENDORFF_2011,
    WIKIPEDIA_FLEISS_COUNTS,
    grid_from_counts,
    table_from_grid,
)


def test_it_matches_fleiss_1971():
    assert fleiss_kappa(table_from_grid(FLEISS_1971_DIAGNOSES)).value == pytest.approx(0.4302445, abs=1e-7)


def test_it_matches_the_wikipedia_example_and_its_intermediate_values():
    result = fleiss_kappa(table_from_grid(grid_from_counts(WIKIPEDIA_FLEISS_COUNTS, "abcde")))
    assert result.value == pytest.approx(0.210, abs=5e-4)
    assert result.observed_agreement == pytest.approx(0.378, abs=5e-4)  # P-bar
    assert result.expected_agreement == pytest.approx(0.213, abs=5e-4)  # P-bar_e


@pytest.mark.parametrize("seed", range(5))
def test_it_agrees_with_statsmodels_when_every_unit_has_the_same_number_of_raters(seed):
    rng = np.random.default_rng(seed)
    grid = rng.integers(1, 5, size=(40, 5))
    unanimous = rng.random(40) < 0.3
    grid[unanimous] = grid[unanimous, :1]
    counts, _ = aggregate_raters(grid)
    assert fleiss_kappa(table_from_grid(grid.tolist())).value == pytest.approx(
        statsmodels_fleiss(counts), abs=1e-12
    )


def test_it_uses_gwets_generalisation_for_missing_ratings():
    result = fleiss_kappa(table_from_grid(KRIPPENDORFF_2011))
    assert result.value == pytest.approx(0.7612, abs=5e-5)
    assert result.observed_agreement == pytest.approx(0.8182, abs=5e-5)
    assert result.expected_agreement == pytest.approx(0.2387, abs=5e-5)
    assert result.pairable_units == 11 and result.units == 12


def test_it_weights_quadratically_at_the_interval_level_as_gwet_does():
    result = fleiss_kappa(table_from_grid(GWET_2014_TABLE_3_5, Level.INTERVAL))
    assert result.value == pytest.approx(0.7673, abs=5e-5)
    assert result.observed_agreement == pytest.approx(0.9375)
    assert result.expected_agreement == pytest.approx(0.7314, abs=5e-5)


def test_it_equals_scotts_pi_for_two_raters_without_missing_ratings():
    grid = np.random.default_rng(3).integers(0, 3, size=(25, 2)).tolist()
    for level in Level:
        table = table_from_grid(grid, level)
        assert fleiss_kappa(table).value == pytest.approx(scott_pi(table).value, abs=1e-12)


def test_it_is_undefined_when_every_rating_is_the_same_label():
    with pytest.raises(UndefinedMetric) as error:
        fleiss_kappa(table_from_grid([["x", "x", "x"], ["x", "x", None], ["x", None, None]]))
    assert error.value.reason is Problem.NO_VARIATION


def test_it_is_undefined_when_no_unit_has_two_ratings():
    with pytest.raises(UndefinedMetric) as error:
        fleiss_kappa(table_from_grid([["x", None], [None, "y"]]))
    assert error.value.reason is Problem.NO_PAIRABLE_UNITS
