"""Percentile bootstrap over units, vectorised.

Every metric here is a function of *sums over units* of per-unit contributions (agreement of the unit's
pairs, its category counts, ...). A metric hands over those contributions as a matrix (units × features)
and a function from summed features to the metric; a resample of units is then a vector of how often each
unit was drawn, and its sums are one matrix product. Units with identical contributions are merged first,
so the cost follows the number of distinct unit profiles, not the number of units.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

RESAMPLES = 1_000
SEED = 19_710_301  # fixed, so the same data always gives the same interval
MIN_DEFINED_SHARE = 0.95
_DRAWS_PER_CHUNK = 4_000_000  # unit draws held in memory at once (32 MB of indices)

Estimator = Callable[[np.ndarray], np.ndarray]


def percentile_interval(
    contributions: np.ndarray,
    estimate: Estimator,
    *,
    resamples: int = RESAMPLES,
    seed: int = SEED,
    min_defined_share: float = MIN_DEFINED_SHARE,
) -> tuple[float, float] | None:
    """The 2.5th and 97.5th percentiles of the metric over ``resamples`` resamples of the units.

    ``estimate`` maps summed contributions (resamples × features) to metric values, NaN where the metric is
    undefined for a resample; those resamples are dropped. ``None`` when fewer than two units contribute
    (a resample of one unit is that unit) or fewer than ``min_defined_share`` of the resamples are defined.
    """
    units = contributions.shape[0]
    if units < 2:
        return None
    profiles, profile_of_unit = np.unique(contributions, axis=0, return_inverse=True)
    # Draw from the units sorted by profile: the same data gives the same interval whatever the order
    # or the names of its units.
    profile_of_unit = np.sort(profile_of_unit.reshape(-1))
    rng = np.random.default_rng(seed)
    chunk = max(1, _DRAWS_PER_CHUNK // units)
    values = []
    for start in range(0, resamples, chunk):
        rows = min(chunk, resamples - start)
        drawn = profile_of_unit[rng.integers(0, units, size=(rows, units))]
        offsets = np.arange(rows)[:, None] * len(profiles)
        weights = np.bincount((drawn + offsets).ravel(), minlength=rows * len(profiles))
        values.append(estimate(weights.reshape(rows, len(profiles)) @ profiles))
    every = np.concatenate(values)
    defined = every[np.isfinite(every)]
    if len(defined) < min_defined_share * resamples:
        return None
    low, high = np.quantile(defined, [0.025, 0.975])
    return float(low), float(high)
