"""Precision and recall arithmetic (pure)."""

from __future__ import annotations

import pytest

from shinsa.insights.engine.accuracy import precision, recall, wilson


def test_it_gives_the_wilson_interval():
    rate = wilson(8, 10)
    assert rate.value == 0.8
    assert rate.low == pytest.approx(0.4902, abs=1e-3) and rate.high == pytest.approx(0.9433, abs=1e-3)


def test_it_has_no_precision_without_decisions():
    assert precision(actioned=0, decided=0).value is None


def test_it_estimates_recall_from_the_audit_of_unflagged_content():
    # 90 true positives flagged; 1,000 unflagged versions of which the audit found 1 in 100 violating:
    # about 10 missed, so recall ≈ 90 / 100.
    rate = recall(true_positives=90, unflagged_population=1000, audited=100, audited_violating=1)
    assert rate.value == pytest.approx(0.9)
    assert rate.low is not None and rate.high is not None
    assert rate.low < 0.9 < rate.high <= 1.0


def test_it_never_assumes_recall_without_an_audit():
    assert recall(true_positives=90, unflagged_population=1000, audited=0, audited_violating=0).value is None
