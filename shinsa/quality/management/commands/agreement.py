from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from shinsa.commands import ShinsaCommand
from shinsa.lib.printable import printable
from shinsa.quality.metrics import (
    METRIC_NAMES,
    AgreementError,
    AgreementResult,
    Level,
    Metric,
    RatingsTable,
    UndefinedMetric,
    agreement,
)
from shinsa.quality.ratings_file import read_ratings_csv

SHOWN_LABELS = 20  # prevalence lines before "and N more"


class Command(ShinsaCommand):
    help = (
        "Agreement between raters from a unit,rater,label CSV (kappa, pi, alpha, AC1, percent).\n\n"
        "Percent agreement, Cohen's kappa, Scott's pi, Fleiss' kappa, Krippendorff's alpha or Gwet's AC1, "
        "with a seeded bootstrap 95% interval. A missing rating is an absent row. "
        "See docs/quality.md for the formulas."
    )
    requires_system_checks: list[str] = []  # reads a file and computes; needs no database or policies

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="long-format CSV with the header unit,rater,label")
        parser.add_argument("--metric", required=True, choices=[metric.value for metric in Metric])
        parser.add_argument(
            "--level",
            default=Level.NOMINAL.value,
            choices=[level.value for level in Level],
            help="how labels compare (default: nominal); ordinal and interval read labels as numbers",
        )
        parser.add_argument("--json", dest="as_json", action="store_true", help="print one JSON object")

    def handle(self, *args: Any, file: str, metric: str, level: str, as_json: bool, **options: Any) -> None:
        path = Path(file)
        try:
            table = RatingsTable.from_rows(read_ratings_csv(path), level)
            result = agreement(table, metric)
        except UndefinedMetric as error:
            raise CommandError(error.message(_, printable)) from None
        except AgreementError as error:
            raise CommandError(f"{printable(path.name)}: {error.message(_, printable)}") from None
        if as_json:
            self.stdout.write(_json_line(result))
        else:
            for line in _human_lines(result):
                self.stdout.write(line)


def _json_line(result: AgreementResult) -> str:
    return json.dumps(
        {
            "metric": result.metric.value,
            "level": result.level.value,
            "value": result.value,
            "ci95": list(result.ci95) if result.ci95 else None,
            "units": result.units,
            "raters": result.raters,
        },
        ensure_ascii=False,
    )


def _metric_title(result: AgreementResult) -> str:
    name = _(METRIC_NAMES[result.metric])
    if result.metric is Metric.AC1 and result.level is not Level.NOMINAL:
        name = _("Gwet's AC2")
    weights = {
        Level.NOMINAL: _("nominal"),
        Level.ORDINAL: _("ordinal, linear weights"),
        Level.INTERVAL: _("interval, quadratic weights"),
    }[result.level]
    if result.metric in {Metric.PERCENT, Metric.ALPHA} and result.level is not Level.NOMINAL:
        weights = {Level.ORDINAL: _("ordinal"), Level.INTERVAL: _("interval")}[result.level]
    return f"{name} ({weights})"


def _human_lines(result: AgreementResult) -> list[str]:
    lines = [f"{_metric_title(result)}: {result.value:.3f}"]
    if result.ci95:
        lines.append(
            _("95%% interval: %(low).3f to %(high).3f") % {"low": result.ci95[0], "high": result.ci95[1]}
        )
    else:
        lines.append(_("95%% interval: not available (too few units, or too many resamples undefined)") % {})
    lines.append(_("observed agreement: %(value).3f") % {"value": result.observed_agreement})
    if result.expected_agreement is not None:
        lines.append(_("expected by chance: %(value).3f") % {"value": result.expected_agreement})
    lines.append(
        _("units: %(units)s (%(pairable)s compared), raters: %(raters)s")
        % {"units": result.units, "pairable": result.pairable_units, "raters": result.raters}
    )
    lines.append(_("prevalence:"))
    for label, share in result.prevalence[:SHOWN_LABELS]:
        lines.append(f"  {printable(label)}: {share:.1%}")
    hidden = len(result.prevalence) - SHOWN_LABELS
    if hidden > 0:
        lines.append("  " + _("… and %(count)s more labels") % {"count": hidden})
    return lines
