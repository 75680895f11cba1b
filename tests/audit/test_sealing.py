from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from shinsa.audit.chain import GENESIS_HASH, link_hash
from shinsa.audit.models import AuditEvent, AuditSeal
from shinsa.audit.sealing import SEALER_LOCK_KEY, chain_head, seal_pending
from shinsa.audit.verification import verify_chain
from tests.audit.writes import connect_directly, postgres_only, write_event


def chain() -> list[tuple[int, int]]:
    return list(AuditSeal.objects.order_by("position").values_list("position", "event_id"))


def event_with_id(event_id: int, **fields) -> AuditEvent:
    """An event with a chosen id, standing in for one whose id was allocated long before it committed."""
    defaults = {
        "occurred_at": timezone.now(),
        "actor_label": "system",
        "verb": "test.touch",
        "object_type": "test.thing",
        "object_id": str(event_id),
    }
    return AuditEvent.objects.create(id=event_id, **{**defaults, **fields})


def test_it_seals_committed_events_in_id_order_into_a_valid_chain(db):
    events = [write_event(object_id=str(i)) for i in range(4)]
    assert seal_pending() == 4
    assert chain() == [(i + 1, event.pk) for i, event in enumerate(events)]
    first = AuditSeal.objects.get(position=1)
    assert first.prev_hash == GENESIS_HASH
    assert first.hash == link_hash(GENESIS_HASH, AuditEvent.objects.get(pk=events[0].pk).chain_fields())
    assert verify_chain().intact


def test_it_appends_later_events_after_the_head_and_seals_each_once(db):
    write_event()
    seal_pending()
    head = chain_head()
    later = write_event()
    assert seal_pending() == 1
    assert seal_pending() == 0
    assert chain_head().position == 2 and chain_head().event_id == later.pk
    assert AuditSeal.objects.get(position=2).prev_hash == head.hash


def test_it_works_in_batches_until_nothing_is_left(db):
    for i in range(7):
        write_event(object_id=str(i))
    assert seal_pending(batch=3) == 7
    assert [position for position, _ in chain()] == list(range(1, 8))


def test_it_appends_a_late_commit_in_seal_order(db):
    event_with_id(10)
    event_with_id(20)
    seal_pending()
    event_with_id(5)  # allocated before 10 and 20, committed after they were sealed
    seal_pending()
    assert chain() == [(1, 10), (2, 20), (3, 5)]
    assert verify_chain().intact


def test_it_leaves_very_late_commits_to_a_full_pass_and_verify_reports_them(db):
    long_ago = timezone.now() - timedelta(hours=2)
    event_with_id(10, occurred_at=long_ago)
    event_with_id(20, occurred_at=long_ago)
    seal_pending(now=long_ago)
    event_with_id(5, occurred_at=long_ago)  # its transaction stayed open for two hours
    event_with_id(30)
    assert seal_pending() == 1
    assert chain()[-1] == (3, 30)
    unsealed = verify_chain().unsealed
    assert (unsealed.count, unsealed.oldest_event_id) == (1, 5)
    assert seal_pending(full=True) == 1
    assert chain()[-1] == (4, 5)
    assert verify_chain().intact


def test_it_refuses_an_empty_batch(db):
    with pytest.raises(ValueError, match="batch"):
        seal_pending(batch=0)


@postgres_only
@pytest.mark.db_sensitive
def test_it_returns_at_once_while_another_sealer_holds_the_lock(db):
    write_event()
    with connect_directly() as other:
        other.execute("SELECT pg_advisory_xact_lock(%s)", [SEALER_LOCK_KEY])
        started = timezone.now()
        assert seal_pending() == 0
        assert timezone.now() - started < timedelta(seconds=1)
        other.rollback()
    assert seal_pending() == 1
