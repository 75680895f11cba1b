"""Precision and recall of automated signals against human decisions (pure).

Precision of a signal source in a policy area: of the items it raised (or added to) that a person has
decided, the share the person actioned (anything but approve). Recall cannot come from those items
alone, since content no signal flagged never reaches a reviewer: it is estimated from random audits of
unflagged title versions. If ``x`` of ``n`` audited unflagged versions were violating, the unflagged
population of ``N`` holds about ``N·x/n`` missed violations, and recall ≈ TP / (TP + N·x/n). The
interval carries the Wilson interval of x/n through the same formula (the sampling error of the audit
dominates); with no audits recall is unknown, never assumed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Z95 = 1.959963984540054


@dataclass(frozen=True, kw_only=True, slots=True)
class Rate:
    value: float | None
    low: float | None
    high: float | None
    n: int


def wilson(successes: int, trials: int, z: float = Z95) -> Rate:
    """The Wilson score interval of a proportion; value None for zero trials."""
    if trials <= 0:
        return Rate(value=None, low=None, high=None, n=0)
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return Rate(value=p, low=max(0.0, centre - half), high=min(1.0, centre + half), n=trials)


def precision(*, actioned: int, decided: int) -> Rate:
    return wilson(actioned, decided)


def recall(*, true_positives: int, unflagged_population: int, audited: int, audited_violating: int) -> Rate:
    """Recall estimated from a random audit of unflagged content (see the module docstring)."""
    if audited <= 0:
        return Rate(value=None, low=None, high=None, n=0)
    miss = wilson(audited_violating, audited)
    assert miss.value is not None and miss.low is not None and miss.high is not None

    def at(rate: float) -> float:
        missed = unflagged_population * rate
        total = true_positives + missed
        return true_positives / total if total > 0 else 1.0

    return Rate(value=at(miss.value), low=at(miss.high), high=at(miss.low), n=audited)
