from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from shinsa.commands import ShinsaCommand
from shinsa.quality.actions import do_place_gold
from shinsa.quality.errors import QualityError


class Command(ShinsaCommand):
    help = (
        "Place gold items in the live review queues at the configured rate "
        "(the worker also does this about once a minute).\n\n"
        "Per policy area, gold tops up to SHINSA_GOLD_RATE_PERCENT of the live work (or --rate). "
        "See docs/quality.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["place"], help="place: top up the live queues with gold")
        parser.add_argument(
            "--rate", type=float, help="percent of live work that is gold (default: the setting)"
        )
        parser.add_argument("--json", dest="as_json", action="store_true", help="print one JSON object")

    def handle(self, *args: Any, what: str, rate: float | None, as_json: bool, **options: Any) -> None:
        percent = settings.GOLD_RATE_PERCENT if rate is None else rate
        if not 0 <= percent < 100:
            raise CommandError(_("--rate must be at least 0 and below 100."))
        try:
            placed = do_place_gold(actor="system", rate=percent / 100)
        except QualityError as error:
            raise CommandError(" ".join(error.messages)) from None
        if as_json:
            self.stdout.write(
                json.dumps({"placed": len(placed), "items": [item.pk for item in placed], "rate": percent})
            )
        else:
            self.stdout.write(
                _("%(count)s gold items placed (rate %(rate)s%%).") % {"count": len(placed), "rate": percent}
            )
