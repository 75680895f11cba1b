"""Percent agreement: share of agreeing pairs, averaged over pairable units; exact equality at every level."""

from __future__ import annotations

import pytest

from shinsa.quality.metrics import Level, Problem, UndefinedMetric, percent_agreement
from tests.quality.reference_data import KRIPPENDORFF_2011, table_from_grid


def test_it_is_the_share_of_agreeing_units_for_two_raters():
    result = percent_agreement(table_from_grid([["a", "a"], ["a", "b"], ["b", "b"], ["c", None]]))
    assert result.value == pytest.approx(2 / 3)
    assert result.observed_agreement == result.value and result.expected_agreement is None
    assert (result.units, result.pairable_units) == (4, 3)


def test_it_averages_the_pairwise_agreement_of_each_pairable_unit():
    # Unit 1: 3 of 3 pairs agree; unit 2: 1 of 3 (a-a); unit 3: 0 of 1; unit 4 has one rating.
    grid = [["a", "a", "a"], ["a", "a", "b"], ["a", "b", None], ["a", None, None]]
    assert percent_agreement(table_from_grid(grid)).value == pytest.approx((1 + 1 / 3 + 0) / 3)


def test_it_matches_gwets_observed_agreement_on_krippendorffs_data():
    assert percent_agreement(table_from_grid(KRIPPENDORFF_2011)).value == pytest.approx(0.8182, abs=5e-5)


def test_it_counts_only_exact_numeric_equality_at_numeric_levels():
    grid = [[1, "1.0"], [2, 3], ["+4", 4]]
    for level in (Level.ORDINAL, Level.INTERVAL):
        assert percent_agreement(table_from_grid(grid, level)).value == pytest.approx(2 / 3)
    assert percent_agreement(table_from_grid(grid)).value == 0.0  # as names, "1" is not "1.0"


def test_it_stays_defined_when_everyone_always_agrees_on_one_label():
    assert percent_agreement(table_from_grid([["x", "x"], ["x", "x"]])).value == 1.0


def test_it_is_undefined_for_one_rater_or_no_pairable_unit():
    with pytest.raises(UndefinedMetric) as one:
        percent_agreement(table_from_grid([["a"], ["b"]]))
    assert one.value.reason is Problem.ONE_RATER and one.value.details["rater"] == "r1"
    with pytest.raises(UndefinedMetric) as apart:
        percent_agreement(table_from_grid([["a", None], [None, "b"]]))
    assert apart.value.reason is Problem.NO_PAIRABLE_UNITS
