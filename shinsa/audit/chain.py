"""The audit hash chain as pure logic: canonical serialisation, linking, and the walk that finds the
first broken link. No Django import, so it is tested without a database and can be reimplemented by
an outside verifier from this file alone.

Link ``n`` has ``hash_n = SHA-256(bytes.fromhex(hash_{n-1}) || canonical_event(event_n))`` and
``hash_0`` is 64 zeros. The canonical form is compact JSON with sorted keys, UTF-8, the time as
microsecond UTC ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` and ids as strings.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

GENESIS_HASH = "0" * 64
HASH_LENGTH = 64


@dataclass(frozen=True, slots=True)
class EventFields:
    """The recorded facts of one audit event, exactly as stored."""

    event_id: int
    occurred_at: datetime
    actor_id: int | None
    actor_label: str
    verb: str
    object_type: str
    object_id: str
    before: Any
    after: Any
    reason: str
    request_id: str


@dataclass(frozen=True, slots=True)
class Link:
    """One seal: the event at ``position`` in the chain and the hashes that bind it."""

    position: int
    event_id: int
    prev_hash: str
    hash: str


@dataclass(frozen=True, slots=True)
class StoredLink:
    """A seal as read back for verification, with its event (``None`` when the event row is gone)."""

    link: Link
    event: EventFields | None


class BreakKind(StrEnum):
    EVENT_MODIFIED = "event_modified"
    EVENT_DELETED = "event_deleted"
    SEAL_MISSING = "seal_missing"
    SEAL_REORDERED = "seal_reordered"
    PREV_MISMATCH = "prev_mismatch"


@dataclass(frozen=True, slots=True)
class ChainBreak:
    """The first place where the chain no longer holds. ``position`` is where the walk expected it."""

    position: int
    event_id: int | None
    kind: BreakKind


@dataclass(frozen=True, slots=True)
class WalkResult:
    checked: int  # links verified intact before the first break (or all of them)
    head: Link | None  # the last intact link
    first_break: ChainBreak | None


@dataclass(frozen=True, slots=True)
class Anchor:
    position: int
    hash: str

    def __str__(self) -> str:
        return f"{self.position}:{self.hash}"


def format_time(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("audit times must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_event(event: EventFields) -> bytes:
    """The bytes that are hashed for one event: stable across processes, databases and key order."""
    document = {
        "id": str(event.event_id),
        "occurred_at": format_time(event.occurred_at),
        "actor_id": None if event.actor_id is None else str(event.actor_id),
        "actor_label": event.actor_label,
        "verb": event.verb,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "before": event.before,
        "after": event.after,
        "reason": event.reason,
        "request_id": event.request_id,
    }
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return text.encode("utf-8")


def link_hash(prev_hash: str, event: EventFields) -> str:
    return hashlib.sha256(bytes.fromhex(prev_hash) + canonical_event(event)).hexdigest()


def extend_chain(head: Link | None, events: Iterable[EventFields]) -> list[Link]:
    """The links that append ``events`` (in the given order) after ``head``."""
    position = head.position if head else 0
    prev_hash = head.hash if head else GENESIS_HASH
    links = []
    for event in events:
        position += 1
        current = link_hash(prev_hash, event)
        links.append(Link(position=position, event_id=event.event_id, prev_hash=prev_hash, hash=current))
        prev_hash = current
    return links


def walk_chain(
    stored: Iterable[StoredLink], position_of_hash: Callable[[str], int | None] | None = None
) -> WalkResult:
    """Check links in position order and stop at the first break.

    ``position_of_hash`` (optional) looks a hash up among all seals, so that a link pointing at the
    wrong predecessor can be told apart as reordered rather than merely mismatched.
    """
    expected_position = 1
    expected_prev = GENESIS_HASH
    head: Link | None = None
    checked = 0
    for item in stored:
        link = item.link
        found = _first_problem(item, expected_position, expected_prev, position_of_hash)
        if found is not None:
            return WalkResult(checked=checked, head=head, first_break=found)
        head, checked = link, checked + 1
        expected_position, expected_prev = link.position + 1, link.hash
    return WalkResult(checked=checked, head=head, first_break=None)


def _first_problem(
    item: StoredLink,
    expected_position: int,
    expected_prev: str,
    position_of_hash: Callable[[str], int | None] | None,
) -> ChainBreak | None:
    link = item.link
    if link.position != expected_position:
        return ChainBreak(position=expected_position, event_id=None, kind=BreakKind.SEAL_MISSING)
    if item.event is None:
        return ChainBreak(position=link.position, event_id=link.event_id, kind=BreakKind.EVENT_DELETED)
    if item.event.event_id != link.event_id or link_hash(link.prev_hash, item.event) != link.hash:
        return ChainBreak(position=link.position, event_id=link.event_id, kind=BreakKind.EVENT_MODIFIED)
    if link.prev_hash != expected_prev:
        elsewhere = position_of_hash(link.prev_hash) if position_of_hash else None
        kind = BreakKind.SEAL_REORDERED if elsewhere is not None else BreakKind.PREV_MISMATCH
        return ChainBreak(position=link.position, event_id=link.event_id, kind=kind)
    return None


def parse_anchor(text: str) -> Anchor:
    """``POSITION:HASH`` as printed by ``shinsa audit anchor``; raises ValueError naming the problem."""
    position_text, separator, hash_text = text.strip().partition(":")
    if not separator or not position_text.isdigit() or int(position_text) < 1:
        raise ValueError("an anchor is POSITION:HASH with a position of 1 or more")
    hash_text = hash_text.lower()
    if len(hash_text) != HASH_LENGTH or any(c not in "0123456789abcdef" for c in hash_text):
        raise ValueError("an anchor's hash is 64 hexadecimal characters")
    return Anchor(position=int(position_text), hash=hash_text)
