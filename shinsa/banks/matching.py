"""The banks of this installation in memory, and bank hits for screening.

Each process (a worker, the web server, one ``shinsa screen``) holds one ``BankMatcher``. It is built
from the enabled banks' active entries on first use and then refreshed before each use: bank settings
are re-read (a new or re-enabled bank means a fresh build), and every change of an entry (added,
confirmed, removed) moves ``BankEntry.updated_at``, so a refresh applies only the entries changed since
the last one (re-reading a short overlap for clock skew). ``index_status`` says whether the index is
built and how many changes it has not seen yet (staleness).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import DatabaseError
from django.utils import timezone

from shinsa.banks.index.hits import HashQuery, hits_for_query, query_of_hash_json
from shinsa.banks.index.matcher import BankInfo, BankKind, BankMatcher, ProposedAction
from shinsa.banks.models import Bank, BankEntry
from shinsa.screening.signals.base import SignalHit

OVERLAP = timedelta(seconds=2)  # clock skew between writers: re-read this much before the last refresh


@dataclass
class _Loaded:
    matcher: BankMatcher
    built_at: datetime
    synced_at: datetime
    applied: dict[int, datetime] = field(default_factory=dict)  # entries applied within the overlap


@dataclass(frozen=True)
class IndexStatus:
    ready: bool  # built in this process
    built_at: datetime | None
    synced_at: datetime | None
    indexed: int  # active entries of enabled banks held in memory
    stale: int  # entries and banks changed in the database since the last refresh
    detail: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        return {
            "ready": self.ready,
            "built_at": self.built_at.isoformat() if self.built_at else None,
            "synced_at": self.synced_at.isoformat() if self.synced_at else None,
            "indexed": self.indexed,
            "stale": self.stale,
            "index": self.detail,
        }


_lock = threading.Lock()
_loaded: _Loaded | None = None


def bank_info(bank: Bank) -> BankInfo:
    return BankInfo(
        id=bank.pk,
        name=bank.name,
        kind=BankKind(bank.kind),
        policy_area=bank.policy_area,
        severity=bank.severity,
        threshold=bank.threshold,
        negative=bank.negative,
        action=ProposedAction(bank.action),
        video_min_percent=float(bank.video_min_percent),
    )


def current_matcher(*, refresh: bool = True) -> BankMatcher:
    """This process's matcher, built on first use and (by default) brought up to date."""
    global _loaded
    with _lock:
        now = timezone.now()
        if _loaded is not None and refresh:
            banks = [bank_info(bank) for bank in Bank.objects.filter(enabled=True)]
            if {bank.id for bank in banks} - set(_loaded.matcher.banks):
                _loaded = None  # a bank was added or enabled again: build afresh, in one go
            else:
                _loaded.matcher.set_banks(banks)  # settings apply at once; a disabled bank's entries go
                _apply(_loaded, BankEntry.objects.filter(updated_at__gte=_loaded.synced_at - OVERLAP))
                _loaded.synced_at = now
        if _loaded is None:
            matcher = BankMatcher()
            matcher.set_banks(bank_info(bank) for bank in Bank.objects.filter(enabled=True))
            active = BankEntry.objects.filter(status=BankEntry.Status.ACTIVE, bank__enabled=True)
            # Read before the build, so an entry that changes in between is applied again, never skipped:
            # what the build holds already, the first refresh's overlap need not add again.
            recent = dict(active.filter(updated_at__gte=now - OVERLAP).values_list("id", "updated_at"))
            matcher.load(active.order_by("id").values_list("id", "bank_id", "value", "label").iterator(2000))
            _loaded = _Loaded(matcher=matcher, built_at=now, synced_at=now, applied=recent)
        return _loaded.matcher


def _apply(loaded: _Loaded, entries: Any) -> None:
    """Apply changed entries; one already applied at the same ``updated_at`` (the overlap) is skipped,
    so a burst of screenings does not re-add the same recent entries again and again."""
    matcher = loaded.matcher
    rows = entries.order_by("updated_at", "id").values_list(
        "id", "bank_id", "value", "label", "status", "updated_at"
    )
    for entry_id, bank_id, value, label, status, updated_at in rows:
        if loaded.applied.get(entry_id) == updated_at:
            continue
        loaded.applied[entry_id] = updated_at
        if status == BankEntry.Status.ACTIVE and bank_id in matcher.banks:
            matcher.add_entry(entry_id, bank_id, value, label)
        else:
            matcher.remove_entry(entry_id)
    horizon = loaded.synced_at - OVERLAP
    loaded.applied = {entry_id: at for entry_id, at in loaded.applied.items() if at >= horizon}


def forget_matcher() -> None:
    """Drop this process's matcher (tests; a worker after a bulk change)."""
    global _loaded
    with _lock:
        _loaded = None


def index_status() -> IndexStatus:
    """Readiness and staleness of this process's index, without building or refreshing it."""
    loaded = _loaded
    if loaded is None:
        pending = BankEntry.objects.filter(status=BankEntry.Status.ACTIVE, bank__enabled=True).count()
        return IndexStatus(ready=False, built_at=None, synced_at=None, indexed=0, stale=pending, detail={})
    stale = BankEntry.objects.filter(updated_at__gt=loaded.synced_at).count()
    stale += Bank.objects.filter(updated_at__gt=loaded.synced_at).count()
    return IndexStatus(
        ready=True,
        built_at=loaded.built_at,
        synced_at=loaded.synced_at,
        indexed=len(loaded.matcher),
        stale=stale,
        detail=loaded.matcher.index_stats,
    )


def banks_configured() -> bool:
    """Whether the configured database has enabled banks (False without a database or its tables)."""
    try:
        return Bank.objects.filter(enabled=True).exists()
    except DatabaseError:
        return False


def bank_hits(
    hash_result: HashQuery | dict[str, Any], *, pdq: bool = True, md5: bool = True
) -> list[SignalHit]:
    """Bank hits for one file's hashes: a ``HashQuery`` or the JSON of ``shinsa hash --json``.

    Each hit's ``detail["action"]`` is what the bank proposes: ``quarantine`` (illegal content) or
    ``enqueue``; the screening pipeline acts on it (``do_upsert_item`` with the hit's severity).
    """
    query = hash_result if isinstance(hash_result, HashQuery) else query_of_hash_json(hash_result)
    return hits_for_query(current_matcher(), query, pdq=pdq, md5=md5)
