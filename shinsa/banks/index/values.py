"""Bank entry values as stored and exchanged: PDQ hex, a vPDQ feature list, an md5 hex digest."""

from __future__ import annotations

import json
import re

from shinsa.banks.index.kinds import BankKind
from shinsa.banks.index.pdq_index import BadHash
from shinsa.screening.hashing.vpdq import VpdqFeature, from_threatexchange_signal

_MD5 = re.compile(r"[0-9a-f]{32}")
_PDQ = re.compile(r"[0-9a-f]{64}")
MAX_VIDEO_FRAMES = 100_000


class BadEntryValue(ValueError):
    """A value that is not a hash of the bank's kind."""

    def __init__(self, kind: BankKind, value: str) -> None:
        self.kind = kind
        self.value = value
        super().__init__(f"not a {kind.value} value: {value[:80]!r}")


def parse_value(kind: BankKind, value: str) -> str | list[VpdqFeature]:
    """The value checked and in canonical form; ``BadEntryValue`` when it is not one of ``kind``."""
    text = value.strip().lower() if kind is not BankKind.VIDEO else value.strip()
    if kind is BankKind.MD5:
        if not _MD5.fullmatch(text):
            raise BadEntryValue(kind, value)
        return text
    if kind is BankKind.PDQ:
        if not _PDQ.fullmatch(text):
            raise BadEntryValue(kind, value)
        return text
    try:
        frames = from_threatexchange_signal(text)
    except (ValueError, TypeError, RecursionError, BadHash):
        raise BadEntryValue(kind, value) from None
    if not frames or len(frames) > MAX_VIDEO_FRAMES:
        raise BadEntryValue(kind, value)
    return frames


def canonical_value(kind: BankKind, value: str) -> str:
    """The stored form: lower-case hex, or the vPDQ list as python-threatexchange writes it but with
    millisecond times (its own writer keeps three significant digits: 123.456 s becomes 123)."""
    parsed = parse_value(kind, value)
    if isinstance(parsed, str):
        return parsed
    return json.dumps([f"{f.pdq},{f.quality},{f.time:.3f}" for f in parsed])
