"""``shinsa insights detect``: run the anomaly detector (pages the on-call person about new findings).
``shinsa insights recall-sample AREA --size N``: draw unflagged versions at random for recall audits."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from shinsa.commands import ShinsaCommand
from shinsa.insights.actions import do_sample_recall_audits
from shinsa.insights.detection import detect_anomalies
from shinsa.insights.errors import InsightsError


class Command(ShinsaCommand):
    help = "Insights: detect anomalies in the daily series, or sample unflagged content for recall audits."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        detect = sub.add_parser("detect", help="judge the last days of each series")
        detect.add_argument("--days", type=int, default=7, help="how many recent days to judge (default 7)")
        sample = sub.add_parser("recall-sample", help="draw unflagged versions for a recall audit")
        sample.add_argument("area", help="policy area id")
        sample.add_argument("--size", type=int, default=20)
        sample.add_argument("--seed", type=int)

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "detect":
            if not 1 <= options["days"] <= 60:
                raise CommandError(_("--days must be between 1 and 60."), returncode=2)
            run = detect_anomalies(today=timezone.now().date(), check_last=options["days"])
            for finding in run.findings:
                titles = ", ".join(str(d["title"]) for d in finding.drivers) or "—"
                self.stdout.write(
                    f"{finding.day} {finding.metric} {finding.dimension}={finding.key}: {finding.value:g} "
                    f"(baseline {finding.expected:.1f}, score {finding.score:.1f}) — {titles}"
                )
            self.stdout.write(
                _("%(series)s series judged, %(found)s anomalies (%(new)s new).")
                % {"series": run.judged_series, "found": len(run.findings), "new": run.new}
            )
            return
        try:
            audits = do_sample_recall_audits(
                actor="cli", policy_area=options["area"], size=options["size"], seed=options["seed"]
            )
        except InsightsError as error:
            raise CommandError(str(error), returncode=2) from None
        self.stdout.write(_("%(count)s versions drawn for a recall audit.") % {"count": len(audits)})
