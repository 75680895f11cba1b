"""The kinds of bank and the actions a match can propose."""

from __future__ import annotations

from enum import StrEnum


class BankKind(StrEnum):
    PDQ = "pdq"
    VIDEO = "video"
    MD5 = "md5"


class ProposedAction(StrEnum):
    ENQUEUE = "enqueue"
    QUARANTINE = "quarantine"
