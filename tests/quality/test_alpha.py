"""Krippendorff's alpha: his own worked example at three levels, Gwet's, invariances, undefined cases."""

from __future__ import annotations

import pytest

from shinsa.quality.metrics import Level, Problem, UndefinedMetric, krippendorff_alpha, scott_pi
from tests.quality.reference_data import GWET_2014_TABLE_3_5, KRIPPENDORFF_2011, table_from_grid


@pytest.mark.parametrize(
    ("level", "published"), [(Level.NOMINAL, 0.743), (Level.ORDINAL, 0.815), (Level.INTERVAL, 0.849)]
)
def test_it_matches_krippendorffs_example_with_missing_values(level, published):
    result = krippendorff_alpha(table_from_grid(KRIPPENDORFF_2011, level))
    assert round(result.value, 3) == published
    assert result.pairable_units == 11  # unit 12 has one value and is not pairable


def test_it_reports_the_coincidence_agreements_of_the_nominal_example():
    # Krippendorff (2011): 40 pairable values, D_o = 8/40 (so A_o = .8); alpha = 1 - D_o / D_e.
    result = krippendorff_alpha(table_from_grid(KRIPPENDORFF_2011))
    assert result.observed_agreement == pytest.approx(1 - 0.2)
    assert result.value == pytest.approx(
        (result.observed_agreement - result.expected_agreement) / (1 - result.expected_agreement)
    )


def test_it_matches_gwets_interval_example():
    assert krippendorff_alpha(table_from_grid(GWET_2014_TABLE_3_5, Level.INTERVAL)).value == pytest.approx(
        0.7581, abs=5e-5
    )


def test_interval_alpha_ignores_a_linear_change_of_scale():
    shifted = [[None if v is None else 10 * v - 7 for v in row] for row in KRIPPENDORFF_2011]
    original = krippendorff_alpha(table_from_grid(KRIPPENDORFF_2011, Level.INTERVAL))
    assert krippendorff_alpha(table_from_grid(shifted, Level.INTERVAL)).value == pytest.approx(original.value)


def test_ordinal_alpha_depends_only_on_the_order_of_the_values():
    squashed = [[None if v is None else v**3 / 100 for v in row] for row in KRIPPENDORFF_2011]
    original = krippendorff_alpha(table_from_grid(KRIPPENDORFF_2011, Level.ORDINAL))
    assert krippendorff_alpha(table_from_grid(squashed, Level.ORDINAL)).value == pytest.approx(original.value)
    assert krippendorff_alpha(table_from_grid(squashed, Level.INTERVAL)).value != pytest.approx(
        original.value
    )


def test_it_corrects_scotts_pi_for_small_samples():
    # For two raters and complete data: alpha = 1 - (2N - 1) / (2N) * (1 - pi)  (Krippendorff 2004).
    grid = [["a", "a"], ["a", "b"], ["b", "b"], ["c", "c"], ["b", "c"], ["a", "a"]]
    pi = scott_pi(table_from_grid(grid)).value
    n = len(grid)
    assert krippendorff_alpha(table_from_grid(grid)).value == pytest.approx(
        1 - (2 * n - 1) / (2 * n) * (1 - pi)
    )


def test_it_is_undefined_when_all_pairable_values_are_equal():
    # "b" stands alone in an unpairable unit: the pairable values show no variation.
    with pytest.raises(UndefinedMetric) as error:
        krippendorff_alpha(table_from_grid([[1, 1], [1, 1], ["b", None]]))
    assert error.value.reason is Problem.NO_VARIATION and error.value.details["label"] == "1"
    with pytest.raises(UndefinedMetric) as ordinal:
        krippendorff_alpha(table_from_grid([[2, 2.0], [2, 2], [5, None]], Level.ORDINAL))
    assert ordinal.value.reason is Problem.NO_VARIATION


def test_it_is_undefined_without_pairable_units():
    with pytest.raises(UndefinedMetric) as error:
        krippendorff_alpha(table_from_grid([[1, None], [None, 2]]))
    assert error.value.reason is Problem.NO_PAIRABLE_UNITS
