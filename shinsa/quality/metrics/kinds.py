"""The metrics and levels of measurement the agreement functions know, as stable codes."""

from __future__ import annotations

from enum import StrEnum


def gettext_noop(message: str) -> str:
    """Marks a message for translation without translating it (the CLI translates when it shows it)."""
    return message


class Metric(StrEnum):
    PERCENT = "percent"
    COHEN = "cohen"
    SCOTT = "scott"
    FLEISS = "fleiss"
    ALPHA = "alpha"
    AC1 = "ac1"


class Level(StrEnum):
    """How labels compare: as names (nominal), as ordered numbers (ordinal), or by numeric distance."""

    NOMINAL = "nominal"
    ORDINAL = "ordinal"
    INTERVAL = "interval"


METRIC_NAMES: dict[Metric, str] = {
    Metric.PERCENT: gettext_noop("percent agreement"),
    Metric.COHEN: gettext_noop("Cohen's kappa"),
    Metric.SCOTT: gettext_noop("Scott's pi"),
    Metric.FLEISS: gettext_noop("Fleiss' kappa"),
    Metric.ALPHA: gettext_noop("Krippendorff's alpha"),
    Metric.AC1: gettext_noop("Gwet's AC1"),
}
