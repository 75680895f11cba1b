"""``shinsa report transparency --since DATE --until DATE --json`` (or ``--xlsx FILE``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from shinsa.commands import ShinsaCommand
from shinsa.insights.dates import BAD_INPUT, check_range, parse_day
from shinsa.insights.transparency import transparency_report, write_report_xlsx


class Command(ShinsaCommand):
    help = (
        "The transparency report of a period (DSA-style counts by policy, action, automated vs human, "
        "median handling time, appeals; age ratings and access restrictions per territory). DATE is "
        "ISO 8601, read in UTC; --until is inclusive."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["transparency"])
        parser.add_argument("--since", required=True, metavar="DATE")
        parser.add_argument("--until", required=True, metavar="DATE")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")
        parser.add_argument("--xlsx", metavar="FILE", help="also write the report as XLSX")

    def handle(self, *args: Any, since: str, until: str, xlsx: str | None, **options: Any) -> None:
        first, last = parse_day(since, "--since"), parse_day(until, "--until")
        check_range(first, last)
        as_json = options["json"]
        if not as_json and not xlsx:
            raise CommandError(_("give --json, --xlsx FILE or both"), returncode=BAD_INPUT)
        assert first is not None and last is not None
        report = transparency_report(since=first, until=last)
        if xlsx:
            write_report_xlsx(report, Path(xlsx))
        if as_json:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
