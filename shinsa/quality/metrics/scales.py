"""How far apart two categories are, per level of measurement, as a disagreement weight in [0, 1].

- nominal: 0 for the same label, else 1;
- ordinal: ``|i - j| / (K - 1)`` on the rank positions of the K distinct values (linear weights);
- interval: ``(x_i - x_j)² / (max - min)²`` on the values themselves (quadratic weights).

The agreement weight is ``1 - disagreement`` (1 on the diagonal). Sums over pairs of category
distributions are computed in O(K) — from cumulative sums (ordinal) or moments (interval) — so no K×K
matrix is ever built, whatever the number of distinct values.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from shinsa.quality.metrics.kinds import Level


@dataclass(frozen=True, eq=False)
class Scale:
    level: Level
    values: np.ndarray  # one float per category, ascending at the numeric levels

    @property
    def categories(self) -> int:
        return len(self.values)

    def disagreement(self, first: np.ndarray, second: np.ndarray) -> np.ndarray:
        """Element-wise disagreement weight between two arrays of category codes."""
        if self.level is Level.NOMINAL:
            return (first != second).astype(float)
        if self.level is Level.ORDINAL:
            return np.abs(first - second) / max(self.categories - 1, 1)
        spread = self._spread()
        return (self.values[first] - self.values[second]) ** 2 / spread**2

    def expected_disagreement(self, first: np.ndarray, second: np.ndarray) -> np.ndarray:
        """``Σ_k Σ_l first[..., k] · second[..., l] · disagreement(k, l)`` over the last axis.

        ``first`` and ``second`` are counts or shares over the categories (leading axes broadcast).
        """
        mass_first = first.sum(axis=-1)
        mass_second = second.sum(axis=-1)
        if self.level is Level.NOMINAL:
            return mass_first * mass_second - (first * second).sum(axis=-1)
        if self.level is Level.ORDINAL:
            # |i - j| counts the thresholds t with min(i, j) <= t < max(i, j).
            below_first = np.cumsum(first, axis=-1)[..., :-1]
            below_second = np.cumsum(second, axis=-1)[..., :-1]
            crossings = (
                below_first * (mass_second[..., None] - below_second)
                + (mass_first[..., None] - below_first) * below_second
            )
            return crossings.sum(axis=-1) / max(self.categories - 1, 1)
        # Σ p_k q_l (x_k - x_l)² = P·Σq x² + Q·Σp x² - 2·Σp x·Σq x, with x centred for precision.
        x = self.values - (self.values[0] + self.values[-1]) / 2
        return (
            mass_first * (second @ x**2) + mass_second * (first @ x**2) - 2 * (first @ x) * (second @ x)
        ) / self._spread() ** 2

    def total_agreement_weight(self) -> float:
        """``Σ_k Σ_l (1 - disagreement(k, l))`` over all category pairs (Gwet's T_w)."""
        ones = np.ones(self.categories)
        return float(self.categories**2 - self.expected_disagreement(ones, ones))

    def _spread(self) -> float:
        spread = float(self.values[-1] - self.values[0])
        return spread if spread > 0 else 1.0
