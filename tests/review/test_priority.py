"""The priority score and rank (pure)."""

from __future__ import annotations

import pytest

from shinsa.review.priority import (
    MAX_SCORE,
    SCORE_POINT_MS,
    PriorityInputs,
    more_urgent,
    priority_score,
    rank_ms,
)


def score(severity: str = "medium", confidence: float = 0.0, reports: int = 0, reach: int = 0) -> int:
    return priority_score(
        PriorityInputs(
            severity=severity, max_confidence=confidence, report_count=reports, audience_reach=reach
        )
    )


def test_it_adds_the_documented_points():
    assert score("low") == 40
    assert score("critical", confidence=1.0, reports=7, reach=1_000_000) == 400 + 200 + 150 + 150 == MAX_SCORE
    assert score("high", confidence=0.5, reports=1, reach=9) == 250 + 100 + 50 + 25


def test_it_caps_reports_and_reach():
    assert score(reports=10_000) == score(reports=7)
    assert score(reach=10**12) == score(reach=10**6)


def test_it_never_lowers_the_score_when_a_factor_grows():
    for factor in ("confidence", "reports", "reach"):
        values = {"confidence": [0.0, 0.2, 0.9], "reports": [0, 1, 5, 50], "reach": [0, 10, 10**5]}[factor]
        scores = [score(**{factor: value}) for value in values]
        assert scores == sorted(scores)
    assert score("low") < score("medium") < score("high") < score("critical")


@pytest.mark.parametrize(
    "inputs",
    [
        {"severity": "extreme"},
        {"confidence": 1.5},
        {"reports": -1},
        {"reach": -3},
    ],
)
def test_it_refuses_out_of_range_inputs(inputs):
    with pytest.raises(ValueError):
        score(**inputs)


def test_it_ranks_by_deadline_pulled_earlier_by_score():
    assert rank_ms(due_ms=10_000_000, score=100) == 10_000_000 - 100 * SCORE_POINT_MS


def test_it_lets_an_old_low_item_overtake_new_high_ones_without_rescoring():
    # A low item created at t=0 with a 168 h SLA; high items arrive later with a 24 h SLA.
    hour = 3_600_000
    old_low = rank_ms(due_ms=168 * hour, score=score("low"))
    new_high_now = rank_ms(due_ms=0 + 24 * hour, score=score("high"))
    new_high_later = rank_ms(due_ms=160 * hour + 24 * hour, score=score("high"))
    assert new_high_now < old_low  # at first the high item goes first
    assert old_low < new_high_later  # a week later the waiting low item is ahead of new high ones


def test_it_picks_the_more_urgent_priority():
    assert more_urgent("low", "high") == "high"
    assert more_urgent("urgent", "normal") == "urgent"
