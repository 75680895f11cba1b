"""``shinsa export decisions --format {xlsx,csv} --out FILE [--since DATE] [--until DATE]``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from shinsa import audit
from shinsa.commands import ShinsaCommand
from shinsa.insights.dates import BAD_INPUT, check_range, parse_day
from shinsa.insights.exports import decision_rows, write_csv, write_xlsx


class Command(ShinsaCommand):
    help = (
        "Export every decision in a date range with its status (pending, final, overturned) as XLSX or "
        "CSV. DATE is ISO 8601 (2026-11-25), read in UTC; --until is inclusive."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["decisions"], help="what to export")
        parser.add_argument("--format", required=True, choices=["xlsx", "csv"], dest="fmt")
        parser.add_argument("--out", required=True, metavar="FILE")
        parser.add_argument("--since", metavar="DATE")
        parser.add_argument("--until", metavar="DATE")

    def handle(
        self, *args: Any, what: str, fmt: str, out: str, since: str | None, until: str | None, **options: Any
    ) -> None:
        first, last = parse_day(since, "--since"), parse_day(until, "--until")
        check_range(first, last)
        path = Path(out)
        if not path.parent.is_dir():
            raise CommandError(
                _("The folder of --out does not exist: %(path)s") % {"path": path.parent},
                returncode=BAD_INPUT,
            )
        # Written beside the target and renamed, so a failed export never leaves half a file there.
        partial = path.with_name(f".{path.name}.partial")
        try:
            rows = decision_rows(first, last)
            count = write_xlsx(rows, partial) if fmt == "xlsx" else write_csv(rows, partial)
            partial.replace(path)
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise CommandError(
                _("Could not write %(path)s: %(error)s") % {"path": path, "error": error.strerror or error}
            ) from None
        with transaction.atomic():
            audit.record(
                actor="cli",
                verb="insights.decisions.exported",
                object_type="review.decision",
                object_id="*",
                after={"format": fmt, "rows": count, "since": since, "until": until, "file": path.name},
            )
        self.stdout.write(_("%(count)s decisions written to %(path)s") % {"count": count, "path": path})
