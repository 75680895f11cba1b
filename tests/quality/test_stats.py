"""Sample sizes, Wilson intervals, stratified allocation and gold scoring (pure)."""

from __future__ import annotations

import pytest

from shinsa.quality.stats import (
    Answer,
    Candidate,
    allocate,
    range_overlap,
    sample_size,
    score_answer,
    wilson_interval,
)


def test_sample_size_is_cochrans_with_the_finite_population_correction():
    # z = 1.95996, p = .5, e = .05: n0 = 384.15 → 385 for a huge population; N = 1000 → 277.7 → 278.
    assert sample_size(10**9, margin=0.05, confidence=0.95, expected_rate=0.5) == 385
    assert sample_size(1000, margin=0.05, confidence=0.95, expected_rate=0.5) == 278
    # p = .1, e = .1: n0 = 34.57; N = 50 → 20.7 → 21. Never more than the population.
    assert sample_size(50, margin=0.1, confidence=0.95, expected_rate=0.1) == 21
    assert sample_size(3, margin=0.01, confidence=0.99) == 3
    assert sample_size(0, margin=0.1, confidence=0.95) == 0


def test_wilson_interval_matches_published_values_and_has_no_cliffs():
    # Newcombe (1998), table I: 81/263 → .2553 to .3662; 15/148 → .0624 to .1605.
    low, high = wilson_interval(81, 263)
    assert (low, high) == pytest.approx((0.2553, 0.3662), abs=5e-5)
    assert wilson_interval(15, 148) == pytest.approx((0.0624, 0.1605), abs=5e-5)
    # Two audits, both correct: not "100 %", an interval down to about a third.
    low, high = wilson_interval(2, 2)
    assert high == 1.0 and 0.3 < low < 0.4
    assert wilson_interval(0, 0) is None


def _candidate(i, reviewer, area="hate", severity="high", action="approve", new=False, disagreed=False):
    return Candidate(
        decision_id=i,
        reviewer_id=reviewer,
        policy_area=area,
        severity=severity,
        action=action,
        new_reviewer=new,
        automation_disagreed=disagreed,
    )


def test_allocation_oversamples_new_reviewers_rare_classes_and_takes_disagreements_first():
    rows = [_candidate(i, 1) for i in range(100)]
    rows += [_candidate(100 + i, 2, new=True) for i in range(100)]
    rows += [_candidate(200 + i, 1, area="violence", action="remove") for i in range(4)]
    rows += [_candidate(300 + i, 3, disagreed=(i < 3)) for i in range(100)]
    strata, picks = allocate(rows, margin=0.15, confidence=0.95, expected_rate=0.1, seed=7)
    by_key = {s.key: s for s in strata}
    base = by_key[(1, "hate", "high")]
    assert base.size == base.base_size == sample_size(100, margin=0.15, confidence=0.95, expected_rate=0.1)
    assert (
        by_key[(2, "hate", "high")].size == 2 * base.size
        and "new_reviewer" in by_key[(2, "hate", "high")].reasons
    )
    rare = by_key[(1, "violence", "high")]
    assert rare.reasons == ["rare_class"] and rare.size == 4  # all of it: 2 × base exceeds the population
    assert {300, 301, 302} <= set(by_key[(3, "hate", "high")].chosen)
    reasons = {p.decision_id: p.reasons for p in picks}
    assert reasons[300] == ("automation_disagreed",)
    # Seeded: the same inputs give the same sample.
    assert picks == allocate(rows, margin=0.15, confidence=0.95, expected_rate=0.1, seed=7)[1]


def test_scoring_weighs_action_clause_and_time_ranges():
    expected = Answer(action="restrict", clause_id="VIO-1", ranges=((10_000, 20_000),))
    assert score_answer(expected, expected).score == 1.0
    half_range = score_answer(
        expected, Answer(action="restrict", clause_id="VIO-1", ranges=((15_000, 20_000),))
    )
    assert half_range.range_overlap == pytest.approx(0.5) and half_range.correct
    assert half_range.score == pytest.approx(0.5 + 0.25 + 0.125)
    wrong = score_answer(expected, Answer(action="approve", clause_id="VIO-2.1"))
    assert wrong.score == 0.0 and not wrong.correct
    assert range_overlap([], []) is None
    assert score_answer(
        Answer(action="approve", clause_id="HAT-1"), Answer(action="approve", clause_id="HAT-1")
    ).correct


def test_rating_findings_are_matched_by_descriptor_and_time_then_intensity():
    from shinsa.quality.stats import RatingFinding, score_findings

    gore = RatingFinding(descriptor="gore", intensity=3, start_ms=10_000, end_ms=20_000)
    language = RatingFinding(descriptor="language", intensity=2, start_ms=40_000, end_ms=41_000)
    assert score_findings([gore, language], [gore, language]) == 1.0
    milder = RatingFinding(descriptor="gore", intensity=2, start_ms=11_000, end_ms=20_000)
    assert score_findings([gore], [milder]) == 0.5  # found, at the wrong intensity
    elsewhere = RatingFinding(descriptor="gore", intensity=3, start_ms=30_000, end_ms=35_000)
    assert score_findings([gore], [elsewhere]) == 0.0  # the right descriptor at the wrong time
    assert score_findings([gore], [gore, language]) == 0.5  # an extra finding costs like a missing one
    expected = Answer(action="age_gate", clause_id="VIO-1", findings=(gore,))
    without = score_answer(expected, Answer(action="age_gate", clause_id="VIO-1"))
    assert without.findings_score == 0.0 and not without.correct and without.score == pytest.approx(0.8)
    assert score_answer(expected, Answer(action="age_gate", clause_id="VIO-1", findings=(gore,))).score == 1.0
