"""Typed errors of the agreement metrics: a stable reason code, the details, and one sentence to show.

Messages are marked with ``gettext_noop`` so ``makemessages`` collects them while this package stays free of
Django; whoever shows an error translates it with ``error.message(gettext)``.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from shinsa.quality.metrics.kinds import METRIC_NAMES, Metric, gettext_noop


class Problem(StrEnum):
    # The ratings themselves
    NO_RATINGS = "no_ratings"
    EMPTY_FIELD = "empty_field"
    NOT_A_NUMBER = "not_a_number"
    CONFLICTING_LABELS = "conflicting_labels"
    BAD_TIME_RANGE = "bad_time_range"
    # The metric for these ratings
    ONE_RATER = "one_rater"
    NEEDS_TWO_RATERS = "needs_two_raters"
    NO_PAIRABLE_UNITS = "no_pairable_units"
    NO_VARIATION = "no_variation"


MESSAGES: dict[Problem, str] = {
    Problem.NO_RATINGS: gettext_noop("there are no ratings"),
    Problem.EMPTY_FIELD: gettext_noop("the %(field)s is empty"),
    Problem.NOT_A_NUMBER: gettext_noop(
        'unit %(unit)s, rater %(rater)s: the label "%(label)s" is not a number, '
        "and --level %(level)s compares labels as numbers"
    ),
    Problem.CONFLICTING_LABELS: gettext_noop(
        'unit %(unit)s, rater %(rater)s: two different labels, "%(first)s" and "%(second)s"'
    ),
    Problem.BAD_TIME_RANGE: gettext_noop(
        "rater %(rater)s: the time range %(start_ms)s–%(end_ms)s ms of %(label)s is not a range "
        "(needs 0 <= start < end, in whole milliseconds)"
    ),
    Problem.ONE_RATER: gettext_noop(
        "%(metric)s is undefined: all ratings come from one rater (%(rater)s); agreement needs two or more"
    ),
    Problem.NEEDS_TWO_RATERS: gettext_noop(
        "%(metric)s is defined for exactly two raters and this data has %(raters)s; "
        "use fleiss, alpha or ac1 for more"
    ),
    Problem.NO_PAIRABLE_UNITS: gettext_noop(
        "%(metric)s is undefined: no unit was rated by two or more of the raters compared"
    ),
    Problem.NO_VARIATION: gettext_noop(
        '%(metric)s is undefined: every compared rating is "%(label)s", so there is no disagreement '
        "to expect by chance (percent agreement is 100%%)"
    ),
}

LINE_PREFIX = gettext_noop("line %(line)s: %(problem)s")


class AgreementError(ValueError):
    """Base of the errors below: ``reason`` is a stable code, ``details`` fill its message."""

    messages: dict[Any, str] = MESSAGES

    def __init__(self, reason: StrEnum, *, line: int | None = None, **details: Any) -> None:
        self.reason = reason
        self.line = line
        self.details = details
        super().__init__(self.message())

    def message(
        self, translate: Callable[[str], str] = gettext_noop, shown: Callable[[Any], Any] = str
    ) -> str:
        """The sentence in the language ``translate`` gives, each detail passed through ``shown`` first."""
        details = {
            key: translate(METRIC_NAMES[value]) if isinstance(value, Metric) else shown(value)
            for key, value in self.details.items()
        }
        problem = translate(self.messages[self.reason]) % details
        if self.line is None:
            return problem
        return translate(LINE_PREFIX) % {"line": self.line, "problem": problem}


class InvalidRatings(AgreementError):
    """The ratings cannot be tabulated: an empty field, a non-number at a numeric level, two labels."""


class UndefinedMetric(AgreementError):
    """The metric has no value for this data (one rater, nothing pairable, no variation...): never NaN."""
