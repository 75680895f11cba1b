"""Agreement metrics between reviewers: pure functions over a ratings table (NumPy only, no Django).

Build a ``RatingsTable`` from long-format ``Rating`` rows, then call a metric (or ``agreement(table, name)``);
each returns an ``AgreementResult`` with a seeded bootstrap 95 % interval, or raises ``UndefinedMetric``.
"""

from shinsa.quality.metrics.coefficients import (
    METRICS,
    AgreementResult,
    agreement,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
    scott_pi,
)
from shinsa.quality.metrics.errors import AgreementError, InvalidRatings, Problem, UndefinedMetric
from shinsa.quality.metrics.kinds import METRIC_NAMES, Level, Metric
from shinsa.quality.metrics.table import Rating, RatingsTable

__all__ = [
    "METRICS",
    "METRIC_NAMES",
    "AgreementError",
    "AgreementResult",
    "InvalidRatings",
    "Level",
    "Metric",
    "Problem",
    "Rating",
    "RatingsTable",
    "UndefinedMetric",
    "agreement",
    "cohen_kappa",
    "fleiss_kappa",
    "gwet_ac1",
    "krippendorff_alpha",
    "percent_agreement",
    "scott_pi",
]
