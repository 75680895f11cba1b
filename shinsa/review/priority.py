"""Priority of review work (pure, no Django).

An item's place in line is one stored number, ``rank_ms``: its SLA deadline (epoch milliseconds) pulled
earlier by its priority score. Claims take the smallest rank first. Because the rank is anchored to
absolute time, waiting never needs a re-score: every new item arrives with a later deadline, so an old
item's fixed rank moves to the front of the line by itself (anti-starvation). A merge (a new report or
signal) re-scores only the one item it touches.

    score   = severity + confidence + reports + reach                  (0 … 900 points)
    due_ms  = created_ms + SLA target for the item's priority          (earliest of merged ones)
    rank_ms = due_ms − score × SCORE_POINT_MS                           (1 point = 1 minute)

See docs/review.md for the tables.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# Points per policy-area severity (policies/policy_areas.toml).
SEVERITY_POINTS: dict[str, int] = {"critical": 400, "high": 250, "medium": 120, "low": 40}
CONFIDENCE_POINTS = 200  # × the strongest signal's confidence (0.0–1.0)
REPORT_POINTS_PER_DOUBLING = 50  # 1 report: 50, 3: 100, 7: 150 (the cap)
REPORT_POINTS_MAX = 150
REACH_POINTS_PER_DECADE = 25  # 10 viewers: 25 … 1,000,000: 150 (the cap)
REACH_POINTS_MAX = 150
SCORE_POINT_MS = 60_000
MAX_SCORE = max(SEVERITY_POINTS.values()) + CONFIDENCE_POINTS + REPORT_POINTS_MAX + REACH_POINTS_MAX

# The SLA priority an item gets from its area's severity when no report says otherwise.
SLA_PRIORITY_FOR_SEVERITY: dict[str, str] = {
    "critical": "urgent",
    "high": "high",
    "medium": "normal",
    "low": "low",
}
SLA_PRIORITY_ORDER: tuple[str, ...] = ("urgent", "high", "normal", "low")
HIGH_SEVERITIES = frozenset({"critical", "high"})


@dataclass(frozen=True, kw_only=True, slots=True)
class PriorityInputs:
    severity: str  # the policy area's severity
    max_confidence: float  # strongest automated signal, 0.0 when none
    report_count: int
    audience_reach: int  # viewers who could see it (e.g. last 28 days' plays)


def priority_score(inputs: PriorityInputs) -> int:
    """The documented score, 0 … MAX_SCORE. Raises ValueError on out-of-range inputs."""
    if inputs.severity not in SEVERITY_POINTS:
        raise ValueError(f"unknown severity {inputs.severity!r}")
    if not 0.0 <= inputs.max_confidence <= 1.0:
        raise ValueError("confidence must be within 0.0–1.0")
    if inputs.report_count < 0 or inputs.audience_reach < 0:
        raise ValueError("counts cannot be negative")
    reports = min(REPORT_POINTS_MAX, round(REPORT_POINTS_PER_DOUBLING * math.log2(1 + inputs.report_count)))
    reach = min(REACH_POINTS_MAX, round(REACH_POINTS_PER_DECADE * math.log10(1 + inputs.audience_reach)))
    confidence = round(CONFIDENCE_POINTS * inputs.max_confidence)
    return SEVERITY_POINTS[inputs.severity] + confidence + reports + reach


def rank_ms(*, due_ms: int, score: int) -> int:
    """The stored ordering key: smaller is claimed first."""
    return due_ms - score * SCORE_POINT_MS


def more_urgent(a: str, b: str) -> str:
    """The more urgent of two SLA priorities (urgent > high > normal > low)."""
    return min(a, b, key=SLA_PRIORITY_ORDER.index)
