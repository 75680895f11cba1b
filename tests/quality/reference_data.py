"""Published reliability data sets, with the values their authors report, as long-format rows."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from shinsa.quality.metrics import Level, Rating, RatingsTable


def rows_from_grid(grid: Sequence[Sequence[object]], raters: Sequence[str] | None = None) -> list[Rating]:
    """Rows from a units × raters grid; ``None`` (or ``"."``) is a missing rating."""
    names = raters or [f"r{j + 1}" for j in range(len(grid[0]))]
    return [
        Rating(f"u{i + 1:03d}", names[j], str(value))
        for i, row in enumerate(grid)
        for j, value in enumerate(row)
        if value is not None and value != "."
    ]


def table_from_grid(grid: Sequence[Sequence[object]], level: Level = Level.NOMINAL) -> RatingsTable:
    return RatingsTable.from_rows(rows_from_grid(grid), level)


def grid_from_counts(counts: Sequence[Sequence[int]], labels: Sequence[object]) -> list[list[object]]:
    """A units × raters grid from a units × categories count table (rater identity does not matter)."""
    return [[label for label, n in zip(labels, row, strict=True) for _ in range(n)] for row in counts]


def grid_from_contingency(table: Sequence[Sequence[int]], labels: Sequence[object]) -> list[list[object]]:
    """Two raters' grid from their contingency table (rows: first rater's label, columns: second's)."""
    return [
        [labels[i], labels[j]] for i, row in enumerate(table) for j, n in enumerate(row) for _ in range(n)
    ]


# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the reliability data with missing
# values: 4 observers (rows here are units), 12 units. Reported: nominal .743, ordinal .815, interval .849.
# Gwet (2014, pp. 55-56) uses the same data (as letters a-e): p_a .8182; Fleiss' generalised kappa .7612
# (p_e .2387); AC1 .7754 (p_e .1903).
KRIPPENDORFF_2011 = list(
    zip(
        *[
            [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
            [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
            [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
            [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
        ],
        strict=True,
    )
)

# Fleiss (1971): 30 patients, 6 psychiatrists each, 5 diagnoses. Reported kappa .430 (R irr: .4302445).
FLEISS_1971_DIAGNOSES = [
    [4, 4, 4, 4, 4, 4],
    [2, 2, 2, 5, 5, 5],
    [2, 3, 3, 3, 3, 5],
    [5, 5, 5, 5, 5, 5],
    [2, 2, 2, 4, 4, 4],
    [1, 1, 3, 3, 3, 3],
    [3, 3, 3, 3, 5, 5],
    [1, 1, 3, 3, 3, 4],
    [1, 1, 4, 4, 4, 4],
    [5, 5, 5, 5, 5, 5],
    [1, 4, 4, 4, 4, 4],
    [1, 2, 4, 4, 4, 4],
    [2, 2, 2, 3, 3, 3],
    [1, 4, 4, 4, 4, 4],
    [2, 2, 4, 4, 4, 5],
    [3, 3, 3, 3, 3, 5],
    [1, 1, 1, 4, 5, 5],
    [1, 1, 1, 1, 1, 2],
    [2, 2, 4, 4, 4, 4],
    [1, 3, 3, 5, 5, 5],
    [5, 5, 5, 5, 5, 5],
    [2, 4, 4, 4, 4, 4],
    [2, 2, 4, 5, 5, 5],
    [1, 1, 4, 4, 4, 4],
    [1, 4, 4, 4, 4, 5],
    [2, 2, 2, 2, 2, 4],
    [1, 1, 1, 1, 5, 5],
    [2, 2, 4, 4, 4, 4],
    [1, 3, 3, 3, 3, 3],
    [5, 5, 5, 5, 5, 5],
]

# Wikipedia, "Fleiss' kappa", worked example: 10 subjects, 14 raters, counts per category. Kappa .210.
WIKIPEDIA_FLEISS_COUNTS = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]

# SAS PROC FREQ example (as in statsmodels' tests): kappa .4842, weighted kappa with scores 0, 1, 2
# (linear weights) .4701.
SAS_CONTINGENCY = [[0, 4, 1], [0, 8, 0], [0, 1, 5]]

# R package irr, data "anxiety" (20 subjects, 3 raters, scores 1-6). irr::kappa2 on raters 2 and 3:
# unweighted -.006289308, "equal" (linear on the observed levels) .1459075.
ANXIETY = np.array(
    [
        *[3, 3, 3, 4, 5, 5, 2, 3, 5, 2, 2, 6, 1, 5, 2, 2, 1, 2, 4, 3],
        *[3, 6, 4, 6, 2, 4, 2, 4, 3, 3, 2, 3, 3, 3, 2, 2, 1, 3, 3, 4],
        *[2, 1, 4, 4, 3, 2, 1, 6, 1, 1, 1, 2, 3, 3, 1, 1, 3, 3, 2, 2],
    ]
).reshape(20, 3, order="F")

# Gwet (2014), Handbook of Inter-Rater Reliability, 4th ed., table 3.5 (p. 80): two raters, ordered
# categories A < B < C (coded 1-3 here), missing ratings. With quadratic weights: p_a .9375; AC2 .8262
# (p_e .6405); Fleiss/Scott-type pi .7673 (p_e .7314).
GWET_2014_TABLE_3_5 = [
    [1, None],
    [2, 3],
    [3, 3],
    [3, 3],
    [2, 2],
    [2, None],
    [1, 1],
    [1, 2],
    [2, 2],
    [2, 2],
    [None, 3],
]

# The prevalence paradox (Feinstein & Cicchetti 1990; the 2x2 table van Oest 2019 uses): two raters,
# 125 units, agreement .944 on a rare "+" finding. Hand-computed from the formulas: Cohen's kappa
# (.944 - .94528) / (1 - .94528) = -.023392; AC1 (.944 - .054432) / (1 - .054432) = .940776.
PARADOX_CONTINGENCY = [[118, 5], [2, 0]]

# Cohen (1960), "A coefficient of agreement for nominal scales", Educational and Psychological Measurement
# 20(1), table 1: two judges, 200 cases, three categories, as proportions .44 .07 .09 / .05 .20 .05 /
# .01 .03 .06 (here counts out of 200). Reported: p_o .70, p_c .41, kappa .492.
COHEN_1960_TABLE_1 = [[88, 14, 18], [10, 40, 10], [2, 6, 12]]
