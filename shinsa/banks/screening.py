"""Bank matching inside ``shinsa screen``: one decoding pass feeds both the signals and the banks.

Used only when the configured database has enabled banks; otherwise (no database file, no bank
tables yet, no banks) ``bank_screening`` returns None and screening runs exactly as without banks.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

from django.db import DEFAULT_DB_ALIAS, connections

from shinsa.banks.index.hits import BankFeatureCollector
from shinsa.banks.matching import bank_hits, banks_configured
from shinsa.screening.signals import SignalContext
from shinsa.screening.signals.merge import hit_order
from shinsa.screening.signals.registry import SIGNALS
from shinsa.screening.signals.screening import ScreenResult, screen_file


class BankScreening:
    def __init__(self, context: SignalContext) -> None:
        self.context = context

    def screen(self, path: Path) -> ScreenResult:
        """``screen_file`` plus the bank hits of the same pass (md5, PDQ with dihedral variants, vPDQ)."""
        pdq, md5 = self.context.settings.is_enabled("pdq"), self.context.settings.is_enabled("md5")
        collector = BankFeatureCollector(pdq=pdq, md5=md5)
        enabled = MappingProxyType({**self.context.settings.enabled, collector.name: True})
        context = replace(self.context, settings=replace(self.context.settings, enabled=enabled))
        result = screen_file(path, context, signals={**SIGNALS, collector.name: collector})
        hits = bank_hits(collector.query, pdq=pdq, md5=md5)
        return replace(result, hits=tuple(sorted((*result.hits, *hits), key=hit_order)))


def bank_screening(context: SignalContext) -> BankScreening | None:
    """A ``BankScreening`` when the configured database has enabled banks, else None."""
    database = connections[DEFAULT_DB_ALIAS].settings_dict
    name = str(database["NAME"])
    if database["ENGINE"].endswith("sqlite3") and "memory" not in name and not Path(name).is_file():
        return None  # no database yet: don't create an empty SQLite file just to look
    if not banks_configured():
        return None
    return BankScreening(context)
