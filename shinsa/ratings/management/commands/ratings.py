"""``shinsa ratings``: back-test a policy change, list compliance gaps, export published ratings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from shinsa.commands import ShinsaCommand
from shinsa.policy.errors import PolicyFileError
from shinsa.ratings.actions import do_enqueue_compliance_gaps
from shinsa.ratings.active import active_rating_policies
from shinsa.ratings.exports import export_rows, write_csv, write_xlsx
from shinsa.ratings.policies import load_rating_policies
from shinsa.ratings.queries import DEFAULT_HORIZON_DAYS, compliance_gaps, published_ratings, run_backtest

FORMATS = ("xlsx", "csv")


class Command(ShinsaCommand):
    help = (
        "Back-test a rating policy change, list compliance gaps, or export the published ratings.\n\n"
        "`shinsa ratings backtest --policy-dir DIR [--json]`: which published ratings would change under "
        "the policies in DIR, and why. `shinsa ratings gaps [--days N] [--json]`: titles available (or "
        "soon) without an accurate, complete rating. `shinsa ratings export --format xlsx|csv --out FILE`."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True)
        back = verbs.add_parser("backtest", help="report which published ratings a policy change would alter")
        back.add_argument("--policy-dir", required=True, type=Path, help="the candidate policy folder")
        back.add_argument("--json", action="store_true", help="print one JSON object")
        gaps = verbs.add_parser("gaps", help="list compliance gaps with their deadlines")
        gaps.add_argument("--days", type=int, default=DEFAULT_HORIZON_DAYS, help="look this many days ahead")
        gaps.add_argument("--json", action="store_true", help="print JSON")
        gaps.add_argument(
            "--enqueue",
            action="store_true",
            help="open a maturity-rating review item for each cut with gaps (run daily)",
        )
        export = verbs.add_parser("export", help="export published ratings with their explanations")
        export.add_argument("--format", required=True, choices=FORMATS)
        export.add_argument("--out", required=True, type=Path, help="the file to write")

    def handle(self, *args: Any, verb: str, **options: Any) -> None:
        if verb == "backtest":
            self._backtest(options["policy_dir"], options["json"])
        elif verb == "gaps":
            self._gaps(options["days"], options["json"], options["enqueue"])
        else:
            self._export(options["format"], options["out"])

    def _backtest(self, policy_dir: Path, as_json: bool) -> None:
        if not policy_dir.is_dir():
            raise CommandError(_("%(path)s is not a folder") % {"path": policy_dir})
        try:
            candidate = load_rating_policies(policy_dir)
        except PolicyFileError as problem:
            raise CommandError(str(problem)) from None
        report = run_backtest(candidate)
        if as_json:
            self.stdout.write(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            _("%(checked)d published ratings checked, %(changed)d would change.")
            % {"checked": report.checked, "changed": len(report.changed)}
        )
        for change in report.changed:
            why = ", ".join(
                f"{item['descriptor']} {item['intensity']} ({item['rule']})"
                if "descriptor" in item
                else json.dumps(item, ensure_ascii=False)
                for item in change.because
            )
            self.stdout.write(
                f"{change.title} {change.scheme}/{change.territory}: {change.old_level} → "
                f"{change.new_level or '-'} [{change.reason}] {why}"
            )
        for change in report.overrides_to_review:
            self.stdout.write(
                _("%(title)s %(scheme)s/%(territory)s: override %(level)s stands; computed would be %(new)s")
                % {
                    "title": change.title,
                    "scheme": change.scheme,
                    "territory": change.territory,
                    "level": change.old_level,
                    "new": change.new_level or "-",
                }
            )

    def _gaps(self, days: int, as_json: bool, enqueue: bool) -> None:
        if not 0 <= days <= 3650:
            raise CommandError(_("--days must be between 0 and 3650"))
        try:
            policies = active_rating_policies()
        except PolicyFileError as problem:
            raise CommandError(str(problem)) from None
        gaps = compliance_gaps(
            policies, today=timezone.localdate(), horizon_days=days, backtest_report=run_backtest(policies)
        )
        if enqueue:
            opened = do_enqueue_compliance_gaps(actor="system", gaps=gaps)
            if not as_json:
                self.stdout.write(_("%(count)d review items opened.") % {"count": len(opened)})
        if as_json:
            self.stdout.write(json.dumps([gap.to_json() for gap in gaps], ensure_ascii=False, indent=2))
            return
        for gap in gaps:
            self.stdout.write(
                f"{gap.deadline.isoformat()}  {gap.title}/{gap.version}  {gap.territory}  {gap.scheme}  "
                f"{gap.problem} {gap.detail}".rstrip()
            )
        self.stdout.write(_("%(count)d gaps.") % {"count": len(gaps)})

    def _export(self, file_format: str, out: Path) -> None:
        if not out.parent.is_dir():
            raise CommandError(_("%(path)s is not a folder") % {"path": out.parent})
        rows = export_rows(published_ratings().select_related("override"))
        if file_format == "csv":
            write_csv(rows, out)
        else:
            write_xlsx(rows, out)
        self.stdout.write(_("%(count)d ratings written to %(path)s") % {"count": len(rows), "path": out})
