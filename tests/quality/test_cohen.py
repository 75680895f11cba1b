"""Cohen's kappa: published values, statsmodels as an independent check, weights by level, two raters only."""

from __future__ import annotations

import numpy as np
import pytest
from statsmodels.stats.inter_rater import cohens_kappa, to_table

from shinsa.quality.metrics import Level, Problem, UndefinedMetric, cohen_kappa
from tests.quality.reference_data import (
    ANXIETY,
    PARADOX_CONTINGENCY,
    SAS_CONTINGENCY,
    grid_from_contingency,
    table_from_grid,
)


def test_it_matches_the_sas_example_unweighted_and_linearly_weighted():
    grid = grid_from_contingency(SAS_CONTINGENCY, [0, 1, 2])
    assert cohen_kappa(table_from_grid(grid)).value == pytest.approx(0.4842, abs=5e-5)
    assert cohen_kappa(table_from_grid(grid, Level.ORDINAL)).value == pytest.approx(0.4701, abs=5e-5)


def test_it_matches_r_irr_on_the_anxiety_data():
    grid = ANXIETY[:, 1:].tolist()
    assert cohen_kappa(table_from_grid(grid)).value == pytest.approx(-0.006289308, abs=1e-9)
    # irr's "equal" weights are linear in the position among the levels used: our ordinal level.
    assert cohen_kappa(table_from_grid(grid, Level.ORDINAL)).value == pytest.approx(0.1459075, abs=1e-7)


def test_it_weights_the_interval_level_by_squared_distance_of_the_values():
    grid = ANXIETY[:, 1:].tolist()  # the values used are 1, 2, 3, 4 and 6: not evenly spaced
    values = np.unique(ANXIETY[:, 1:])
    counts, _ = to_table(np.searchsorted(values, ANXIETY[:, 1:]), bins=len(values))
    expected = cohens_kappa(counts, weights=values, wt="quadratic", return_results=False)
    assert cohen_kappa(table_from_grid(grid, Level.INTERVAL)).value == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("seed", range(5))
def test_it_agrees_with_statsmodels_on_random_tables(seed):
    rng = np.random.default_rng(seed)
    pairs = rng.integers(0, 4, size=(60, 2))
    agreeing = rng.random(60) < 0.5
    pairs[agreeing, 1] = pairs[agreeing, 0]
    counts, _ = to_table(pairs, bins=4)
    assert len(np.unique(pairs)) == 4  # weights follow the labels used; statsmodels' follow the bins
    for level, wt in ((Level.NOMINAL, None), (Level.ORDINAL, "linear"), (Level.INTERVAL, "quadratic")):
        expected = cohens_kappa(counts, wt=wt, return_results=False)
        assert cohen_kappa(table_from_grid(pairs.tolist(), level)).value == pytest.approx(expected, abs=1e-12)


def test_it_shows_the_prevalence_paradox_beside_raw_agreement():
    result = cohen_kappa(table_from_grid(grid_from_contingency(PARADOX_CONTINGENCY, ["+", "-"])))
    assert result.value == pytest.approx(-0.023391812865, abs=1e-12)
    assert result.observed_agreement == pytest.approx(0.944)
    assert result.expected_agreement == pytest.approx(0.94528)
    assert dict(result.prevalence) == pytest.approx({"+": 243 / 250, "-": 7 / 250})


def test_it_compares_only_the_units_both_raters_rated():
    grid = [["a", "a"], ["b", "b"], ["a", "b"], ["a", None], [None, "b"], ["b", None]]
    result = cohen_kappa(table_from_grid(grid))
    assert (result.units, result.pairable_units, result.raters) == (6, 3, 2)
    # p_o = 2/3; marginals over the 3 shared units: first (a 2, b 1), second (a 1, b 2): p_e = 4/9.
    assert result.value == pytest.approx((2 / 3 - 4 / 9) / (1 - 4 / 9))


def test_it_refuses_more_or_fewer_than_two_raters():
    with pytest.raises(UndefinedMetric) as three:
        cohen_kappa(table_from_grid([["a", "a", "b"], ["b", "b", "b"]]))
    assert three.value.reason is Problem.NEEDS_TWO_RATERS and three.value.details["raters"] == 3
    with pytest.raises(UndefinedMetric) as one:
        cohen_kappa(table_from_grid([["a"], ["b"]]))
    assert one.value.reason is Problem.ONE_RATER


def test_it_is_undefined_without_a_shared_unit_or_without_variation():
    with pytest.raises(UndefinedMetric) as apart:
        cohen_kappa(table_from_grid([["a", None], [None, "a"]]))
    assert apart.value.reason is Problem.NO_PAIRABLE_UNITS
    with pytest.raises(UndefinedMetric) as same:
        cohen_kappa(table_from_grid([["a", "a"], ["a", "a"], ["b", None]]))
    assert same.value.reason is Problem.NO_VARIATION and same.value.details["label"] == "a"


def test_it_is_zero_not_undefined_when_each_rater_always_uses_a_different_label():
    result = cohen_kappa(table_from_grid([["a", "b"], ["a", "b"], ["a", "b"]]))
    assert result.value == 0.0 and result.observed_agreement == 0.0 and result.expected_agreement == 0.0


def test_it_reproduces_cohens_own_1960_example():
    from tests.quality.reference_data import COHEN_1960_TABLE_1

    result = cohen_kappa(table_from_grid(grid_from_contingency(COHEN_1960_TABLE_1, ["1", "2", "3"])))
    assert result.observed_agreement == pytest.approx(0.70)
    assert result.expected_agreement == pytest.approx(0.41)
    assert round(result.value, 3) == 0.492
