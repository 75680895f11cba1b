"""The ratings table: coding of labels per level, duplicates, conflicts and bad labels."""

from __future__ import annotations

import numpy as np
import pytest

from shinsa.quality.metrics import InvalidRatings, Level, Problem, Rating, RatingsTable
from shinsa.quality.metrics.table import MISSING


def test_it_sorts_units_raters_and_labels_and_marks_missing_ratings():
    table = RatingsTable.from_rows(
        [Rating("u2", "kai", "b"), Rating("u1", "rin", "a"), Rating("u2", "rin", "a")]
    )
    assert table.units == ("u1", "u2") and table.raters == ("kai", "rin") and table.labels == ("a", "b")
    assert table.codes.tolist() == [[MISSING, 0], [1, 0]]
    assert table.counts().tolist() == [[1, 0], [1, 1]]


def test_it_counts_an_identical_duplicate_once():
    rows = [Rating("u1", "a", "x"), Rating("u1", "a", "x"), Rating("u1", "b", "y")]
    assert RatingsTable.from_rows(rows).counts().sum() == 2


def test_it_refuses_two_labels_from_one_rater_for_one_unit_naming_both():
    rows = [Rating("u1", "kai", "x", line=2), Rating("u1", "kai", "y", line=7)]
    with pytest.raises(InvalidRatings) as error:
        RatingsTable.from_rows(rows)
    assert error.value.reason is Problem.CONFLICTING_LABELS and error.value.line == 7
    assert str(error.value) == 'line 7: unit u1, rater kai: two different labels, "x" and "y"'


def test_it_reads_numeric_labels_as_numbers_at_numeric_levels():
    rows = [
        Rating("u1", "a", "1"),
        Rating("u1", "a", "1.0"),
        Rating("u1", "b", "+1e0"),
        Rating("u2", "b", "-0"),
    ]
    for level in (Level.ORDINAL, Level.INTERVAL):
        table = RatingsTable.from_rows(rows, level)
        assert table.labels == ("0", "1") and table.values.tolist() == [0.0, 1.0]
        assert table.counts().sum() == 3
    with pytest.raises(InvalidRatings) as error:
        RatingsTable.from_rows(rows, Level.NOMINAL)  # as names, "1" and "1.0" differ
    assert error.value.reason is Problem.CONFLICTING_LABELS


def test_it_orders_numeric_categories_by_value_not_by_text():
    rows = [Rating("u1", "a", "10"), Rating("u1", "b", "9"), Rating("u2", "a", "2.5")]
    assert RatingsTable.from_rows(rows, Level.ORDINAL).labels == ("2.5", "9", "10")
    assert RatingsTable.from_rows(rows).labels == ("10", "2.5", "9")


@pytest.mark.parametrize("label", ["high", "nan", "inf", "1e999", "1_000", "١", "0x10", ""])
def test_it_refuses_labels_that_are_not_plain_finite_numbers_at_numeric_levels(label):
    with pytest.raises(InvalidRatings) as error:
        RatingsTable.from_rows([Rating("u1", "a", label, line=3)], Level.INTERVAL)
    assert error.value.reason in {Problem.NOT_A_NUMBER, Problem.EMPTY_FIELD}


def test_it_refuses_empty_fields_and_an_empty_table():
    with pytest.raises(InvalidRatings) as empty_unit:
        RatingsTable.from_rows([Rating("", "a", "x", line=4)])
    assert str(empty_unit.value) == "line 4: the unit is empty"
    with pytest.raises(InvalidRatings) as nothing:
        RatingsTable.from_rows([])
    assert nothing.value.reason is Problem.NO_RATINGS


def test_it_reports_each_labels_share_of_all_ratings():
    rows = [Rating("u1", "a", "x"), Rating("u1", "b", "x"), Rating("u2", "a", "x"), Rating("u2", "b", "y")]
    assert RatingsTable.from_rows(rows).prevalence() == (("x", 0.75), ("y", 0.25))
    assert np.isclose(sum(share for _, share in RatingsTable.from_rows(rows).prevalence()), 1)
