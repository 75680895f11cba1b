"""Agreement coefficients over a ``RatingsTable``, each with a bootstrap 95 % interval.

Every coefficient is written as sums over units of per-unit contributions (see ``bootstrap``), so the
point estimate and each bootstrap resample run the same code. Notation: ``K`` categories, ``m_u`` ratings
of unit ``u``, ``d(k, l)`` the level's disagreement weight (``scales``), a unit *pairable* when it has at
least two ratings. docs/quality.md gives the formulas and the reasons behind each choice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from shinsa.quality.metrics.bootstrap import percentile_interval
from shinsa.quality.metrics.errors import Problem, UndefinedMetric
from shinsa.quality.metrics.kinds import Level, Metric
from shinsa.quality.metrics.scales import Scale
from shinsa.quality.metrics.table import MISSING, RatingsTable

# A chance-corrected value is undefined when the expected disagreement is (numerically) zero.
NO_DISAGREEMENT = 1e-12


@dataclass(frozen=True)
class AgreementResult:
    """A coefficient with what it rests on: raw agreement and prevalence belong beside every κ.

    ``units`` counts units with at least one rating; ``pairable_units`` those that entered the metric's
    agreement (for Cohen and Scott, the units both raters rated). ``expected_agreement`` is ``None`` for
    percent agreement, which corrects for nothing.
    """

    metric: Metric
    level: Level
    value: float
    ci95: tuple[float, float] | None
    units: int
    raters: int
    pairable_units: int
    observed_agreement: float
    expected_agreement: float | None
    prevalence: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class _Estimates:
    value: np.ndarray
    observed: np.ndarray
    expected: np.ndarray | None


@dataclass(frozen=True)
class _UnitSums:
    """Per-unit contributions (one row per unit the bootstrap resamples) and the metric of their sums."""

    contributions: np.ndarray
    estimate: Callable[[np.ndarray], _Estimates]
    pairable_units: int
    compared_counts: np.ndarray  # category counts of the ratings the chance correction looks at


def percent_agreement(table: RatingsTable, *, interval: bool = True) -> AgreementResult:
    """Mean over pairable units of the share of agreeing rater pairs (exact label equality at every level).

    With two raters: the share of units both rated on which they gave the same label.
    """
    return _evaluate(Metric.PERCENT, table, _percent_sums, interval=interval)


def cohen_kappa(table: RatingsTable, *, interval: bool = True) -> AgreementResult:
    """Cohen's κ for exactly two raters over the units both rated: ``1 - D_o / D_e``.

    ``D_o`` is the mean disagreement weight of the pairs, ``D_e`` the same under each rater's own
    marginals. Unweighted at the nominal level; linearly weighted (ordinal), quadratically (interval).
    """
    return _evaluate(Metric.COHEN, table, _two_rater_sums(pooled=False), interval=interval)


def scott_pi(table: RatingsTable, *, interval: bool = True) -> AgreementResult:
    """Scott's π: Cohen's κ with the chance term taken from the two raters' pooled marginals."""
    return _evaluate(Metric.SCOTT, table, _two_rater_sums(pooled=True), interval=interval)


def fleiss_kappa(table: RatingsTable, *, interval: bool = True) -> AgreementResult:
    """Fleiss' κ in Gwet's form for a varying number of raters per unit (weighted at numeric levels).

    ``p_a`` = mean over pairable units of the unit's (weighted) pair agreement; ``π_k`` = mean over all
    rated units of the share of the unit's ratings in ``k``; ``p_e = Σ_k Σ_l w(k, l) π_k π_l``.
    With every unit rated by the same number of raters this is Fleiss' 1971 κ.
    """
    return _evaluate(Metric.FLEISS, table, _gwet_sums(chance=_fleiss_chance), interval=interval)


def gwet_ac1(table: RatingsTable, *, interval: bool = True) -> AgreementResult:
    """Gwet's AC1 (nominal), or AC2 with the level's weights: ``p_e = T_w / (K(K-1)) · Σ_k π_k (1 - π_k)``.

    ``p_a`` and ``π_k`` as for Fleiss' κ; ``T_w`` the sum of all agreement weights (``K`` when unweighted).
    """
    return _evaluate(Metric.AC1, table, _gwet_sums(chance=_gwet_chance), interval=interval)


def krippendorff_alpha(table: RatingsTable, *, interval: bool = True) -> AgreementResult:
    """Krippendorff's α = ``1 - D_o / D_e`` from the coincidence matrix of pairable values.

    Nominal and interval use a fixed δ² (``0/1``; ``(c - k)²``); ordinal uses Krippendorff's rank metric
    ``δ²_ck = (Σ_{g=c..k} n_g - (n_c + n_k) / 2)²``, which depends on the marginal frequencies ``n_g``.
    """
    sums = _ordinal_alpha_sums if table.level is Level.ORDINAL else _alpha_sums
    return _evaluate(Metric.ALPHA, table, sums, interval=interval)


METRICS: dict[Metric, Callable[[RatingsTable], AgreementResult]] = {
    Metric.PERCENT: percent_agreement,
    Metric.COHEN: cohen_kappa,
    Metric.SCOTT: scott_pi,
    Metric.FLEISS: fleiss_kappa,
    Metric.ALPHA: krippendorff_alpha,
    Metric.AC1: gwet_ac1,
}


def agreement(table: RatingsTable, metric: Metric | str) -> AgreementResult:
    """The named metric for the table, at the table's level."""
    return METRICS[Metric(metric)](table)


def _evaluate(
    metric: Metric,
    table: RatingsTable,
    build: Callable[[Metric, RatingsTable], _UnitSums],
    *,
    interval: bool = True,
) -> AgreementResult:
    """The point estimate, and with ``interval`` its bootstrap 95 % interval (the costly part)."""
    if len(table.raters) < 2:
        raise UndefinedMetric(Problem.ONE_RATER, metric=metric, rater=table.raters[0])
    sums = build(metric, table)
    if sums.pairable_units == 0:
        raise UndefinedMetric(Problem.NO_PAIRABLE_UNITS, metric=metric)
    used = np.flatnonzero(sums.compared_counts)
    if len(used) == 1:
        raise UndefinedMetric(Problem.NO_VARIATION, metric=metric, label=table.labels[used[0]])
    point = sums.estimate(sums.contributions.sum(axis=0)[None, :])
    value = float(point.value[0]) + 0.0  # never -0.0
    if not np.isfinite(value):  # only when the expected disagreement is below NO_DISAGREEMENT
        dominant = int(np.argmax(sums.compared_counts))
        raise UndefinedMetric(Problem.NO_VARIATION, metric=metric, label=table.labels[dominant])
    return AgreementResult(
        metric=metric,
        level=table.level,
        value=value,
        ci95=percentile_interval(sums.contributions, lambda totals: sums.estimate(totals).value)
        if interval
        else None,
        units=len(table.units),
        raters=len(table.raters),
        pairable_units=sums.pairable_units,
        observed_agreement=float(point.observed[0]),
        expected_agreement=None if point.expected is None else float(point.expected[0]),
        prevalence=table.prevalence(),
    )


def _chance_corrected(observed: np.ndarray, expected: np.ndarray) -> _Estimates:
    """``(p_o - p_e) / (1 - p_e)``, NaN where ``1 - p_e`` vanishes."""
    room = 1 - expected
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(room > NO_DISAGREEMENT, (observed - expected) / room, np.nan)
    return _Estimates(value=value, observed=observed, expected=expected)


def _rated(table: RatingsTable) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per unit: category counts, number of ratings, and whether it is pairable (two or more)."""
    counts = table.counts()
    ratings = counts.sum(axis=1)
    return counts, ratings, ratings >= 2


def _unit_disagreement(scale: Scale, counts: np.ndarray, ratings: np.ndarray) -> np.ndarray:
    """Mean disagreement over the ordered pairs of ratings within each pairable unit (0 elsewhere)."""
    pairs = ratings * (ratings - 1)
    within = scale.expected_disagreement(counts, counts)
    return np.divide(within, pairs, out=np.zeros(len(counts)), where=pairs > 0)


def _percent_sums(metric: Metric, table: RatingsTable) -> _UnitSums:
    counts, ratings, pairable = _rated(table)
    exact = Scale(Level.NOMINAL, table.values)
    agreeing = 1 - _unit_disagreement(exact, counts[pairable], ratings[pairable])

    def estimate(totals: np.ndarray) -> _Estimates:
        observed = totals[:, 0] / totals[:, 1]
        return _Estimates(value=observed, observed=observed, expected=None)

    return _UnitSums(
        contributions=np.column_stack([agreeing, np.ones(len(agreeing))]),
        estimate=estimate,
        pairable_units=int(pairable.sum()),
        compared_counts=np.zeros(table.categories),  # percent agreement needs no variation
    )


def _two_rater_sums(*, pooled: bool) -> Callable[[Metric, RatingsTable], _UnitSums]:
    def build(metric: Metric, table: RatingsTable) -> _UnitSums:
        if len(table.raters) != 2:
            raise UndefinedMetric(Problem.NEEDS_TWO_RATERS, metric=metric, raters=len(table.raters))
        both = (table.codes != MISSING).all(axis=1)
        first, second = table.codes[both, 0], table.codes[both, 1]
        scale = Scale(table.level, table.values)
        k = table.categories
        first_hot = np.eye(k)[first]
        second_hot = np.eye(k)[second]

        # Scott's π needs only the pooled marginal, so its contributions do not depend on rater order.
        marginals = [first_hot + second_hot] if pooled else [first_hot, second_hot]

        def estimate(totals: np.ndarray) -> _Estimates:
            units = totals[:, 1]
            if pooled:
                marginal_first = marginal_second = totals[:, 2:] / 2
            else:
                marginal_first, marginal_second = totals[:, 2 : 2 + k], totals[:, 2 + k :]
            observed = 1 - totals[:, 0] / units
            expected = 1 - scale.expected_disagreement(marginal_first, marginal_second) / units**2
            return _chance_corrected(observed, expected)

        return _UnitSums(
            contributions=np.column_stack(
                [scale.disagreement(first, second), np.ones(len(first)), *marginals]
            ),
            estimate=estimate,
            pairable_units=int(both.sum()),
            compared_counts=first_hot.sum(axis=0) + second_hot.sum(axis=0),
        )

    return build


Chance = Callable[[Scale, np.ndarray], np.ndarray]


def _fleiss_chance(scale: Scale, shares: np.ndarray) -> np.ndarray:
    return 1 - scale.expected_disagreement(shares, shares)


def _gwet_chance(scale: Scale, shares: np.ndarray) -> np.ndarray:
    k = scale.categories
    spread = (shares * (1 - shares)).sum(axis=-1)
    return scale.total_agreement_weight() / (k * (k - 1)) * spread


def _gwet_sums(*, chance: Chance) -> Callable[[Metric, RatingsTable], _UnitSums]:
    def build(metric: Metric, table: RatingsTable) -> _UnitSums:
        counts, ratings, pairable = _rated(table)
        scale = Scale(table.level, table.values)
        agreeing = np.where(pairable, 1 - _unit_disagreement(scale, counts, ratings), 0.0)
        units = len(counts)

        def estimate(totals: np.ndarray) -> _Estimates:
            with np.errstate(divide="ignore", invalid="ignore"):
                observed = totals[:, 0] / totals[:, 1]
            return _chance_corrected(observed, chance(scale, totals[:, 2:] / units))

        return _UnitSums(
            contributions=np.column_stack([agreeing, pairable, counts / ratings[:, None]]),
            estimate=estimate,
            pairable_units=int(pairable.sum()),
            compared_counts=counts.sum(axis=0),
        )

    return build


def _alpha_sums(metric: Metric, table: RatingsTable) -> _UnitSums:
    counts, ratings, pairable = _rated(table)
    counts, ratings = counts[pairable], ratings[pairable]
    scale = Scale(table.level, table.values)
    # Σ over the unit's ordered value pairs of δ², divided by m_u - 1: its row of the coincidence matrix.
    unit_disagreement = _unit_disagreement(scale, counts, ratings) * ratings

    def estimate(totals: np.ndarray) -> _Estimates:
        values = totals[:, 1:]
        n = values.sum(axis=1)
        observed_disagreement = totals[:, 0] / n
        expected_disagreement = scale.expected_disagreement(values, values) / (n * (n - 1))
        return _alpha(observed_disagreement, expected_disagreement, spread=np.ones_like(n))

    return _UnitSums(
        contributions=np.column_stack([unit_disagreement, counts]),
        estimate=estimate,
        pairable_units=int(pairable.sum()),
        compared_counts=counts.sum(axis=0),
    )


def _ordinal_alpha_sums(metric: Metric, table: RatingsTable) -> _UnitSums:
    counts, ratings, pairable = _rated(table)
    counts, ratings = counts[pairable], ratings[pairable]
    k = table.categories
    # Only category pairs c < k that meet in some unit carry observed disagreement.
    present = (counts > 0).astype(float)
    lower, upper = np.nonzero(np.triu(present.T @ present, k=1))
    coincidences = counts[:, lower] * counts[:, upper] / (ratings[:, None] - 1)

    def estimate(totals: np.ndarray) -> _Estimates:
        values = totals[:, :k]
        n = values.sum(axis=1)
        # Krippendorff's ordinal δ_ck is the distance between the categories' mid-ranks.
        mid_rank = np.cumsum(values, axis=1) - values / 2
        pair_distance = (mid_rank[:, lower] - mid_rank[:, upper]) ** 2
        observed_disagreement = 2 * (totals[:, k:] * pair_distance).sum(axis=1) / n
        mean_rank = (values * mid_rank).sum(axis=1) / n
        spread_of_ranks = (values * (mid_rank - mean_rank[:, None]) ** 2).sum(axis=1)
        expected_disagreement = 2 * n * spread_of_ranks / (n * (n - 1))
        used = values > 0
        first = np.argmax(used, axis=1)
        last = k - 1 - np.argmax(used[:, ::-1], axis=1)
        rows = np.arange(len(values))
        widest = (mid_rank[rows, last] - mid_rank[rows, first]) ** 2
        return _alpha(observed_disagreement, expected_disagreement, spread=widest)

    return _UnitSums(
        contributions=np.column_stack([counts, coincidences]),
        estimate=estimate,
        pairable_units=int(pairable.sum()),
        compared_counts=counts.sum(axis=0),
    )


def _alpha(observed: np.ndarray, expected: np.ndarray, *, spread: np.ndarray) -> _Estimates:
    """α = 1 - D_o / D_e; reported agreements are ``1 - D / δ²_max`` so that α = (A_o - A_e) / (1 - A_e)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        scaled_expected = expected / spread
        value = np.where(scaled_expected > NO_DISAGREEMENT, 1 - observed / expected, np.nan)
        return _Estimates(value=value, observed=1 - observed / spread, expected=1 - scaled_expected)
