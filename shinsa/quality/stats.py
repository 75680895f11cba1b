"""The statistics of QA audits and gold scoring (pure, no Django).

- ``sample_size``: how many decisions to audit in a stratum so that the error rate is known to within a
  margin ``e`` at a confidence level: ``n0 = z² p (1 − p) / e²`` (Cochran), with the finite-population
  correction ``n = n0 / (1 + (n0 − 1) / N)``, rounded up and never more than ``N``.
- ``wilson_interval``: the Wilson score interval of a proportion. Unlike the plain ``p ± z√(p(1−p)/n)`` it
  never leaves [0, 1] and does not collapse to a point for 0 or n successes, so a reviewer with 2 audits
  shows a wide interval rather than a cliff at 0 % or 100 %.
- ``allocate``: the stratified plan: a size per stratum, oversampled for new reviewers and rare violation
  classes, with decisions where automation and the human disagreed taken first.
- ``score_answer``: an answer against a gold (expert) answer: action, clause, time ranges and, where the
  expert gave them, rating findings (descriptor, intensity, time range).
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from statistics import NormalDist

# Oversampling factors (docs/quality.md): each applies once, and they multiply.
NEW_REVIEWER_FACTOR = 2.0
RARE_CLASS_FACTOR = 2.0
# A stratum is a rare violation class when its (area, severity) holds under this share of the decisions
# and its decisions are not approvals.
RARE_SHARE = 0.05


def z_for(confidence: float) -> float:
    """The two-sided normal quantile for a confidence level (0.95 → 1.95996…)."""
    if not 0.0 < confidence < 1.0:
        raise ValueError("confidence must be between 0 and 1")
    return NormalDist().inv_cdf(0.5 + confidence / 2.0)


def sample_size(population: int, *, margin: float, confidence: float, expected_rate: float = 0.5) -> int:
    """Cochran's sample size for a proportion with the finite-population correction."""
    if population < 0:
        raise ValueError("population cannot be negative")
    if not 0.0 < margin < 1.0:
        raise ValueError("margin must be between 0 and 1")
    if not 0.0 <= expected_rate <= 1.0:
        raise ValueError("expected rate must be between 0 and 1")
    if population == 0:
        return 0
    z = z_for(confidence)
    p = min(max(expected_rate, 0.01), 0.99)  # p = 0 would ask for no audit at all
    n0 = z * z * p * (1.0 - p) / (margin * margin)
    n = n0 / (1.0 + (n0 - 1.0) / population)
    return min(population, max(1, math.ceil(n - 1e-9)))


def wilson_interval(successes: int, trials: int, *, confidence: float = 0.95) -> tuple[float, float] | None:
    """The Wilson score interval of ``successes / trials``; ``None`` when there are no trials."""
    if trials <= 0:
        return None
    if not 0 <= successes <= trials:
        raise ValueError("successes must be between 0 and trials")
    z = z_for(confidence)
    p = successes / trials
    denominator = 1.0 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True, kw_only=True, slots=True)
class Candidate:
    """A finished decision that may be audited."""

    decision_id: int
    reviewer_id: int
    policy_area: str
    severity: str
    action: str
    new_reviewer: bool
    automation_disagreed: bool


@dataclass(kw_only=True, slots=True)
class Stratum:
    reviewer_id: int
    policy_area: str
    severity: str
    population: int = 0
    base_size: int = 0
    size: int = 0
    reasons: list[str] = field(default_factory=list)  # "new_reviewer", "rare_class"
    chosen: list[int] = field(default_factory=list)  # decision ids

    @property
    def key(self) -> tuple[int, str, str]:
        return self.reviewer_id, self.policy_area, self.severity


@dataclass(frozen=True, kw_only=True, slots=True)
class Pick:
    decision_id: int
    reasons: tuple[str, ...]


def allocate(
    candidates: Sequence[Candidate],
    *,
    margin: float,
    confidence: float,
    expected_rate: float,
    seed: int,
) -> tuple[list[Stratum], list[Pick]]:
    """Strata of reviewer × policy area × severity, each with its size and the decisions picked.

    Within a stratum, decisions where automation and the reviewer disagreed come first; the rest are
    drawn at random with ``seed`` (the same inputs always give the same sample).
    """
    strata: dict[tuple[int, str, str], Stratum] = {}
    members: dict[tuple[int, str, str], list[Candidate]] = {}
    by_class: dict[tuple[str, str], int] = {}
    class_actions: dict[tuple[str, str], set[str]] = {}
    for candidate in sorted(candidates, key=lambda c: c.decision_id):
        key = (candidate.reviewer_id, candidate.policy_area, candidate.severity)
        strata.setdefault(key, Stratum(reviewer_id=key[0], policy_area=key[1], severity=key[2]))
        members.setdefault(key, []).append(candidate)
        violation_class = (candidate.policy_area, candidate.severity)
        by_class[violation_class] = by_class.get(violation_class, 0) + 1
        class_actions.setdefault(violation_class, set()).add(candidate.action)
    total = len(candidates)
    rng = random.Random(seed)
    picks: list[Pick] = []
    for key in sorted(strata):
        stratum, rows = strata[key], members[key]
        stratum.population = len(rows)
        stratum.base_size = sample_size(
            len(rows), margin=margin, confidence=confidence, expected_rate=expected_rate
        )
        factor = 1.0
        if any(row.new_reviewer for row in rows):
            factor *= NEW_REVIEWER_FACTOR
            stratum.reasons.append("new_reviewer")
        violation_class = (key[1], key[2])
        if by_class[violation_class] < RARE_SHARE * total and class_actions[violation_class] != {"approve"}:
            factor *= RARE_CLASS_FACTOR
            stratum.reasons.append("rare_class")
        stratum.size = min(len(rows), math.ceil(stratum.base_size * factor))
        disagreed = [row for row in rows if row.automation_disagreed]
        others = [row for row in rows if not row.automation_disagreed]
        rng.shuffle(disagreed)
        rng.shuffle(others)
        for row in (disagreed + others)[: stratum.size]:
            stratum.chosen.append(row.decision_id)
            reasons = list(stratum.reasons) + (["automation_disagreed"] if row.automation_disagreed else [])
            picks.append(Pick(decision_id=row.decision_id, reasons=tuple(reasons)))
    return [strata[key] for key in sorted(strata)], picks


# --- gold scoring ----------------------------------------------------------------------------------

ACTION_WEIGHT = 0.5
CLAUSE_WEIGHT = 0.25
RANGE_WEIGHT = 0.25
# An answer is correct when the action and clause match and its time ranges cover the expert's well.
RANGE_PASS = 0.5


@dataclass(frozen=True, kw_only=True, slots=True)
class RatingFinding:
    """A rating finding: a descriptor seen at an intensity over a time range (ms)."""

    descriptor: str
    intensity: int
    start_ms: int
    end_ms: int


@dataclass(frozen=True, kw_only=True, slots=True)
class Answer:
    action: str
    clause_id: str
    ranges: tuple[tuple[int, int], ...] = ()  # (start_ms, end_ms)
    findings: tuple[RatingFinding, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class Score:
    score: float  # 0..1
    correct: bool
    action_ok: bool
    clause_ok: bool
    range_overlap: float | None  # intersection over union of the time covered; None when neither marks any
    findings_score: float | None = None  # None when the gold expects no rating findings


def _merged(ranges: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def _covered(ranges: list[tuple[int, int]]) -> int:
    return sum(end - start for start, end in ranges)


def range_overlap(expected: Sequence[tuple[int, int]], given: Sequence[tuple[int, int]]) -> float | None:
    """Intersection over union of the time the two sets of ranges cover."""
    a, b = _merged(expected), _merged(given)
    if not a and not b:
        return None
    intersection = 0
    for start_a, end_a in a:
        for start_b, end_b in b:
            intersection += max(0, min(end_a, end_b) - max(start_a, start_b))
    union = _covered(a) + _covered(b) - intersection
    return intersection / union if union else 0.0


# With expected rating findings, the findings take this share of the score (the rest scaled down).
FINDINGS_WEIGHT = 0.2
FINDINGS_PASS = 0.5


def score_findings(expected: Sequence[RatingFinding], given: Sequence[RatingFinding]) -> float:
    """How well ``given`` reproduces ``expected`` (0..1). Each expected finding is matched to at most one
    given finding of the same descriptor whose time range overlaps it by at least ``RANGE_PASS``
    (intersection over union), best overlap first: half credit for the match, half for the same intensity.
    Divided by the larger count, so extra findings cost as much as missing ones."""
    if not expected and not given:
        return 1.0
    pairs = []
    for i, want in enumerate(expected):
        for j, got in enumerate(given):
            if want.descriptor != got.descriptor:
                continue
            overlap = range_overlap([(want.start_ms, want.end_ms)], [(got.start_ms, got.end_ms)]) or 0.0
            if overlap >= RANGE_PASS:
                pairs.append((overlap, i, j))
    used_expected: set[int] = set()
    used_given: set[int] = set()
    credit = 0.0
    for _overlap, i, j in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        if i in used_expected or j in used_given:
            continue
        used_expected.add(i)
        used_given.add(j)
        credit += 0.5 + 0.5 * (expected[i].intensity == given[j].intensity)
    return credit / max(len(expected), len(given))


def score_answer(expected: Answer, given: Answer) -> Score:
    """Weighted score: action 50 %, clause 25 %, time ranges 25 % (full marks when neither marks any). When
    the expert answer has rating findings, they count for ``FINDINGS_WEIGHT`` and the rest is scaled down."""
    action_ok = expected.action == given.action
    clause_ok = expected.clause_id == given.clause_id
    overlap = range_overlap(expected.ranges, given.ranges)
    range_part = 1.0 if overlap is None else overlap
    score = ACTION_WEIGHT * action_ok + CLAUSE_WEIGHT * clause_ok + RANGE_WEIGHT * range_part
    correct = action_ok and clause_ok and (overlap is None or overlap >= RANGE_PASS)
    findings = None
    if expected.findings:
        findings = score_findings(expected.findings, given.findings)
        score = (1 - FINDINGS_WEIGHT) * score + FINDINGS_WEIGHT * findings
        correct = correct and findings >= FINDINGS_PASS
    return Score(
        score=round(score, 6),
        correct=correct,
        action_ok=action_ok,
        clause_ok=clause_ok,
        range_overlap=overlap,
        findings_score=findings,
    )
