"""Suspicious customer reporting (pure): bursts from few reporters, new accounts, identical text and
coordinated timing. A suspicious report is flagged for a person to look at; it never raises an item's
priority on its own.

The caller gives the new report and the reports of the same title version seen in the last
``WINDOW`` (oldest first); each rule names itself in the result so a reviewer can see why.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

WINDOW = datetime.timedelta(hours=1)
BURST_MIN_REPORTS = 6
BURST_REPORTS_PER_REPORTER = 3.0
NEW_ACCOUNT_AGE = datetime.timedelta(days=7)
NEW_ACCOUNT_MIN_REPORTS = 3
IDENTICAL_MIN_LENGTH = 10
IDENTICAL_MIN_OTHERS = 2
COORDINATED_SPAN = datetime.timedelta(seconds=120)
COORDINATED_MIN_REPORTERS = 5


class Suspicion(StrEnum):
    BURST_FEW_REPORTERS = "burst_few_reporters"
    NEW_ACCOUNTS = "new_accounts"
    IDENTICAL_TEXT = "identical_text"
    COORDINATED_TIMING = "coordinated_timing"


@dataclass(frozen=True, kw_only=True, slots=True)
class SeenReport:
    reporter: str
    at: datetime.datetime
    text: str = ""
    account_created: datetime.datetime | None = None


def normalised_text(text: str) -> str:
    """NFKC, case-folded, whitespace and punctuation collapsed: copy-paste variants compare equal."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\W_]+", " ", folded).strip()


def _is_new(report: SeenReport) -> bool:
    return report.account_created is not None and report.at - report.account_created < NEW_ACCOUNT_AGE


def suspicions(new: SeenReport, recent: Sequence[SeenReport]) -> list[Suspicion]:
    """The rules ``new`` trips, given the recent reports of the same title version."""
    window = [r for r in recent if new.at - WINDOW <= r.at <= new.at] + [new]
    found: list[Suspicion] = []
    reporters = {r.reporter for r in window}
    if len(window) >= BURST_MIN_REPORTS and len(window) / len(reporters) >= BURST_REPORTS_PER_REPORTER:
        found.append(Suspicion.BURST_FEW_REPORTERS)
    if _is_new(new) and len({r.reporter for r in window if _is_new(r)}) >= NEW_ACCOUNT_MIN_REPORTS:
        found.append(Suspicion.NEW_ACCOUNTS)
    text = normalised_text(new.text)
    if len(text) >= IDENTICAL_MIN_LENGTH:
        others = {
            r.reporter for r in window[:-1] if r.reporter != new.reporter and normalised_text(r.text) == text
        }
        if len(others) >= IDENTICAL_MIN_OTHERS:
            found.append(Suspicion.IDENTICAL_TEXT)
    close = {r.reporter for r in window if new.at - COORDINATED_SPAN <= r.at <= new.at}
    if len(close) >= COORDINATED_MIN_REPORTERS:
        found.append(Suspicion.COORDINATED_TIMING)
    return found
