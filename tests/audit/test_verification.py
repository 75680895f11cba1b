"""Tampering behind the application's back is found, and named at the first broken link."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from shinsa.audit.chain import Anchor, BreakKind
from shinsa.audit.models import AuditSeal
from shinsa.audit.sealing import chain_head, seal_pending
from shinsa.audit.verification import verify_chain
from tests.audit.writes import raw_sql, tampering, write_event

pytestmark = [pytest.mark.db_sensitive, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def events() -> list[int]:
    """Five sealed events; returns their ids in chain order."""
    ids = [write_event(object_id=str(i), after={"state": f"s{i}"}).pk for i in range(5)]
    seal_pending()
    return ids


def seal_id(position: int) -> int:
    return AuditSeal.objects.get(position=position).pk


def first_break() -> tuple[int, int | None, BreakKind]:
    broken = verify_chain().first_break
    assert broken is not None, "the chain should be broken"
    return broken.position, broken.event_id, broken.kind


def test_it_passes_an_untouched_chain(events):
    result = verify_chain()
    assert result.intact and result.walk.checked == 5 and result.total_seals == 5


def test_it_names_an_event_modified_by_raw_sql(events):
    with tampering():
        raw_sql("UPDATE audit_auditevent SET verb = %s WHERE id = %s", ["test.forged", events[2]])
    assert first_break() == (3, events[2], BreakKind.EVENT_MODIFIED)


def test_it_names_a_payload_modified_by_raw_sql(events):
    with tampering():
        raw_sql("UPDATE audit_auditevent SET after = NULL WHERE id = %s", [events[1]])
    assert first_break() == (2, events[1], BreakKind.EVENT_MODIFIED)


def test_it_names_a_deleted_event(events):
    with tampering():
        raw_sql("DELETE FROM audit_auditevent WHERE id = %s", [events[3]])
    assert first_break() == (4, events[3], BreakKind.EVENT_DELETED)


def test_it_names_a_deleted_seal(events):
    with tampering():
        raw_sql("DELETE FROM audit_auditseal WHERE id = %s", [seal_id(2)])
    assert first_break() == (2, None, BreakKind.SEAL_MISSING)


def test_it_names_an_event_deleted_with_its_seal(events):
    with tampering():
        raw_sql("DELETE FROM audit_auditseal WHERE id = %s", [seal_id(3)])
        raw_sql("DELETE FROM audit_auditevent WHERE id = %s", [events[2]])
    assert first_break() == (3, None, BreakKind.SEAL_MISSING)


def test_it_names_two_swapped_seals(events):
    second, third = seal_id(2), seal_id(3)
    with tampering():
        raw_sql("UPDATE audit_auditseal SET position = 1000000 WHERE id = %s", [second])
        raw_sql("UPDATE audit_auditseal SET position = 2 WHERE id = %s", [third])
        raw_sql("UPDATE audit_auditseal SET position = 3 WHERE id = %s", [second])
    assert first_break() == (2, events[2], BreakKind.SEAL_REORDERED)


def test_it_names_a_gap_closed_by_renumbering(events):
    with tampering():
        raw_sql("DELETE FROM audit_auditseal WHERE id = %s", [seal_id(2)])
        raw_sql("DELETE FROM audit_auditevent WHERE id = %s", [events[1]])
        for position in (3, 4, 5):
            raw_sql("UPDATE audit_auditseal SET position = %s WHERE position = %s", [position - 1, position])
    assert first_break() == (2, events[2], BreakKind.PREV_MISMATCH)


def test_it_reports_events_left_unsealed_past_the_grace_period(events, settings):
    settings.AUDIT_SEAL_GRACE_SECONDS = 60
    late = write_event(object_id="late")
    assert verify_chain().intact  # just written: within the grace period
    result = verify_chain(now=timezone.now() + timedelta(seconds=61))
    assert not result.intact and result.first_break is None
    assert (result.unsealed.count, result.unsealed.oldest_event_id, result.unsealed.grace_seconds) == (
        1,
        late.pk,
        60,
    )
    seal_pending()
    assert verify_chain(now=timezone.now() + timedelta(seconds=61)).intact


def test_it_checks_an_external_anchor(events):
    head = chain_head()
    anchor = Anchor(position=head.position, hash=head.hash)
    write_event()
    seal_pending()
    assert verify_chain(anchor=anchor).anchor.holds
    assert verify_chain(anchor=anchor).intact


def test_it_finds_a_truncated_tail_only_with_an_anchor(events):
    head = chain_head()
    with tampering():
        raw_sql("DELETE FROM audit_auditseal WHERE position >= 4")
        raw_sql("DELETE FROM audit_auditevent WHERE id IN (%s, %s)", events[3:])
    assert verify_chain().intact  # without an anchor the shorter chain looks whole
    result = verify_chain(anchor=Anchor(position=head.position, hash=head.hash))
    assert not result.intact and result.anchor.found_hash is None


def test_it_finds_a_rewritten_chain_with_an_anchor(events):
    """Someone who edits an event and recomputes every later hash passes the walk, not the anchor."""
    from shinsa.audit.chain import extend_chain
    from shinsa.audit.models import AuditEvent

    anchor = Anchor(position=chain_head().position, hash=chain_head().hash)
    with tampering():
        raw_sql("UPDATE audit_auditevent SET verb = %s WHERE id = %s", ["test.forged", events[0]])
        forged = extend_chain(None, (AuditEvent.objects.get(pk=pk).chain_fields() for pk in events))
        for link in forged:
            raw_sql(
                "UPDATE audit_auditseal SET prev_hash = %s, hash = %s WHERE position = %s",
                [link.prev_hash, link.hash, link.position],
            )
    result = verify_chain(anchor=anchor)
    assert result.first_break is None
    assert not result.anchor.holds and result.anchor.found_hash == forged[-1].hash and not result.intact


def test_it_walks_page_by_page_across_page_boundaries(events, monkeypatch):
    from shinsa.audit import verification

    monkeypatch.setattr(verification, "PAGE_SIZE", 2)
    assert verify_chain().walk.checked == 5
    with tampering():
        raw_sql("UPDATE audit_auditevent SET object_type = %s WHERE id = %s", ["test.other", events[4]])
    assert first_break() == (5, events[4], BreakKind.EVENT_MODIFIED)
