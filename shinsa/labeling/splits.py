"""Train/test splits grouped by title (pure, no Django).

Every item of one group (a title: a film, or a series with all its episodes) lands in the same split,
so nothing seen in training leaks into the test set. The split of a group is a function of its name and
the seed alone: adding titles to a project never moves the titles already assigned.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

TRAIN = "train"
TEST = "test"


def split_of(group: str, *, test_fraction: float, seed: str = "shinsa") -> str:
    """``test`` for about ``test_fraction`` of groups, chosen by a hash of (seed, group)."""
    if not 0.0 <= test_fraction <= 1.0:
        raise ValueError(f"test_fraction must be within [0, 1], not {test_fraction}")
    digest = hashlib.sha256(f"{seed}\x00{group}".encode()).digest()
    share = int.from_bytes(digest[:8], "big") / 2**64
    return TEST if share < test_fraction else TRAIN


def assign_splits(groups: Iterable[str], *, test_fraction: float, seed: str = "shinsa") -> dict[str, str]:
    """The split of each distinct group."""
    return {group: split_of(group, test_fraction=test_fraction, seed=seed) for group in set(groups)}
