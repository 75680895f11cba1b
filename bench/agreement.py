"""Benchmark: agreement on large tables — the point estimates, and alpha with its bootstrap interval.

The headline figure (issue 6): Krippendorff's alpha at each level and Fleiss' kappa for 100,000 units ×
5 raters without the bootstrap (target: alpha under 1 s), as ratios to plain NumPy percent agreement over
the same table. Then alpha with its 1,000-resample bootstrap interval on 10,000 units.

The baseline, measured in the same run on the same table, is plain NumPy percent agreement (one pass,
no interval): the least work any agreement figure needs. The figure to watch is the ratio. For scale, the
run also times a plain unit-by-unit alpha on a few resamples and scales it to 1,000 (what a bootstrap
loop would cost), and prints both alphas, which must be equal.

    python bench/agreement.py [--quick] [--json]
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable

import numpy as np

from shinsa.quality.metrics import Level, RatingsTable, fleiss_kappa, krippendorff_alpha
from shinsa.quality.metrics.bootstrap import RESAMPLES
from shinsa.quality.metrics.table import MISSING

RATERS = 5
CATEGORIES = 4


def synthetic_table(units: int, level: Level, seed: int = 2026) -> RatingsTable:
    """Raters who agree with a hidden truth 70 % of the time; 10 % of ratings missing."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, CATEGORIES, units)
    noise = rng.integers(0, CATEGORIES, (units, RATERS))
    codes = np.where(rng.random((units, RATERS)) < 0.7, truth[:, None], noise)
    codes[rng.random((units, RATERS)) < 0.1] = MISSING
    codes[:, 0] = np.where(codes[:, 0] == MISSING, truth, codes[:, 0])  # every unit keeps a rating
    return RatingsTable(
        level=level,
        units=tuple(f"u{i}" for i in range(units)),
        raters=tuple(f"r{j}" for j in range(RATERS)),
        labels=tuple(str(k) for k in range(CATEGORIES)),
        values=np.arange(CATEGORIES, dtype=float),
        codes=codes,
    )


def plain_percent_agreement(codes: np.ndarray) -> float:
    """Mean share of agreeing rater pairs per pairable unit, the obvious NumPy way."""
    agreeing = np.zeros(len(codes))
    pairs = np.zeros(len(codes))
    for i in range(codes.shape[1]):
        for j in range(i + 1, codes.shape[1]):
            both = (codes[:, i] != MISSING) & (codes[:, j] != MISSING)
            pairs += both
            agreeing += both & (codes[:, i] == codes[:, j])
    pairable = pairs > 0
    return float((agreeing[pairable] / pairs[pairable]).mean())


def plain_nominal_alpha(codes: np.ndarray) -> float:
    """Nominal alpha from the coincidence matrix, unit by unit: what a plain bootstrap loop would repeat."""
    coincidences = np.zeros((CATEGORIES, CATEGORIES))
    for row in codes:
        values = row[row != MISSING]
        if len(values) < 2:
            continue
        counts = np.bincount(values, minlength=CATEGORIES).astype(float)
        coincidences += (np.outer(counts, counts) - np.diag(counts)) / (len(values) - 1)
    marginals = coincidences.sum(axis=1)
    n = marginals.sum()
    observed = coincidences.sum() - np.trace(coincidences)
    expected = (n * n - (marginals**2).sum()) / (n - 1)
    return float(1 - observed / expected)


def best_time(run: Callable[[], object], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def point_estimates(units: int, repeats: int) -> dict[str, object]:
    """Alpha (each level) and Fleiss' kappa without the interval, against plain percent agreement."""
    tables = {level: synthetic_table(units, level) for level in Level}
    baseline = best_time(lambda: plain_percent_agreement(tables[Level.NOMINAL].codes), repeats)
    figures: dict[str, object] = {"point_units": units, "point_baseline_s": round(baseline, 6)}
    for level, table in tables.items():
        seconds = best_time(lambda table=table: krippendorff_alpha(table, interval=False), repeats)
        figures[f"point_alpha_{level.value}_s"] = round(seconds, 6)
        figures[f"point_alpha_{level.value}_ratio"] = round(seconds / baseline, 2)
    nominal = tables[Level.NOMINAL]
    seconds = best_time(lambda: fleiss_kappa(nominal, interval=False), repeats)
    figures["point_fleiss_nominal_s"] = round(seconds, 6)
    figures["point_fleiss_nominal_ratio"] = round(seconds / baseline, 2)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2,000 units and one repeat (a smoke run)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    units = 2_000 if args.quick else 10_000
    repeats = 1 if args.quick else 5

    tables = {level: synthetic_table(units, level) for level in Level}
    baseline = best_time(lambda: plain_percent_agreement(tables[Level.NOMINAL].codes), repeats)
    report: dict[str, object] = {
        "benchmark": "agreement",
        "units": units,
        "raters": RATERS,
        "categories": CATEGORIES,
        "resamples": RESAMPLES,
        "baseline": "plain NumPy percent agreement, no interval",
        "baseline_s": round(baseline, 6),
    }
    # A resample-by-resample loop, timed on a few resamples and scaled to the full count.
    codes = tables[Level.NOMINAL].codes
    rng = np.random.default_rng(1)
    sample = 3 if args.quick else 10
    loop = best_time(lambda: plain_nominal_alpha(codes[rng.integers(0, units, units)]), sample)
    report["plain_loop_alpha_nominal_with_ci_s"] = round(loop * RESAMPLES, 3)
    report["plain_alpha_nominal"] = round(plain_nominal_alpha(codes), 6)
    for level, table in tables.items():
        seconds = best_time(lambda table=table: krippendorff_alpha(table), repeats)
        report[f"alpha_{level.value}_with_ci_s"] = round(seconds, 6)
        report[f"alpha_{level.value}_ratio"] = round(seconds / baseline, 2)
    report["alpha_nominal"] = round(krippendorff_alpha(tables[Level.NOMINAL]).value, 6)
    report.update(point_estimates(100_000 if not args.quick else 20_000, repeats))
    report["speedup_over_plain_loop"] = round(
        report["plain_loop_alpha_nominal_with_ci_s"] / report["alpha_nominal_with_ci_s"],  # type: ignore[operator]
        1,
    )
    if args.json:
        print(json.dumps(report))
    else:
        for key, value in report.items():
            print(f"{key}: {value}")


if __name__ == "__main__":
    main()
