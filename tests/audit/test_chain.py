"""The pure chain logic: no database."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from shinsa.audit.chain import (
    GENESIS_HASH,
    Anchor,
    BreakKind,
    EventFields,
    Link,
    StoredLink,
    canonical_event,
    extend_chain,
    format_time,
    link_hash,
    parse_anchor,
    walk_chain,
)

T0 = datetime(2026, 11, 25, 3, 53, 0, 123456, tzinfo=UTC)


def event(event_id: int, verb: str = "item.claim", **changes) -> EventFields:
    fields = EventFields(
        event_id=event_id,
        occurred_at=T0 + timedelta(seconds=event_id),
        actor_id=7,
        actor_label="rin",
        verb=verb,
        object_type="review.item",
        object_id=str(100 + event_id),
        before={"state": "open"},
        after={"state": "claimed", "lease_ms": 900000},
        reason="",
        request_id="req-1",
    )
    return replace(fields, **changes)


def stored(links: list[Link], events: dict[int, EventFields]) -> list[StoredLink]:
    return [StoredLink(link=link, event=events.get(link.event_id)) for link in links]


def build(count: int) -> tuple[list[Link], dict[int, EventFields]]:
    events = {i: event(i) for i in range(1, count + 1)}
    return extend_chain(None, events.values()), events


def test_it_serialises_an_event_canonically():
    text = canonical_event(event(3)).decode()
    assert text == (
        '{"actor_id":"7","actor_label":"rin","after":{"lease_ms":900000,"state":"claimed"},'
        '"before":{"state":"open"},"id":"3","object_id":"103","object_type":"review.item",'
        '"occurred_at":"2026-11-25T03:53:03.123456Z","reason":"","request_id":"req-1","verb":"item.claim"}'
    )


def test_it_ignores_payload_key_order_and_the_time_zone_of_the_clock():
    tokyo = timezone(timedelta(hours=9))
    reordered = event(3, after={"state": "claimed", "lease_ms": 900000}, occurred_at=event(3).occurred_at)
    shifted = replace(reordered, occurred_at=reordered.occurred_at.astimezone(tokyo))
    assert canonical_event(shifted) == canonical_event(event(3))
    assert format_time(shifted.occurred_at) == "2026-11-25T03:53:03.123456Z"


def test_it_refuses_naive_times():
    with pytest.raises(ValueError, match="timezone-aware"):
        canonical_event(event(1, occurred_at=datetime(2026, 1, 1)))  # noqa: DTZ001


def test_it_keeps_japanese_text_as_utf8():
    assert "レビュー".encode() in canonical_event(event(1, reason="レビュー"))


def test_it_hashes_the_previous_hash_bytes_then_the_event():
    expected = hashlib.sha256(bytes.fromhex(GENESIS_HASH) + canonical_event(event(1))).hexdigest()
    assert link_hash(GENESIS_HASH, event(1)) == expected


def test_it_extends_a_chain_from_its_head():
    links, events = build(3)
    assert [link.position for link in links] == [1, 2, 3]
    assert links[0].prev_hash == GENESIS_HASH
    assert links[1].prev_hash == links[0].hash and links[2].prev_hash == links[1].hash
    more = extend_chain(links[-1], [event(9)])
    assert more == [
        Link(position=4, event_id=9, prev_hash=links[-1].hash, hash=link_hash(links[-1].hash, event(9)))
    ]


def test_it_accepts_an_intact_chain():
    links, events = build(5)
    result = walk_chain(stored(links, events))
    assert result.first_break is None and result.checked == 5 and result.head == links[-1]


def test_it_accepts_an_empty_chain():
    result = walk_chain([])
    assert result.first_break is None and result.checked == 0 and result.head is None


def test_it_names_a_modified_event():
    links, events = build(5)
    events[3] = replace(events[3], verb="item.release")
    result = walk_chain(stored(links, events))
    assert (result.first_break.position, result.first_break.event_id) == (3, 3)
    assert result.first_break.kind == BreakKind.EVENT_MODIFIED
    assert result.checked == 2 and result.head == links[1]


def test_it_names_a_deleted_event():
    links, events = build(5)
    del events[2]
    assert walk_chain(stored(links, events)).first_break.kind == BreakKind.EVENT_DELETED


def test_it_names_a_missing_seal_at_the_position_it_expected():
    links, events = build(5)
    broken = walk_chain(stored(links[:2] + links[3:], events)).first_break
    assert (broken.position, broken.event_id, broken.kind) == (3, None, BreakKind.SEAL_MISSING)


def test_it_names_a_chain_that_does_not_start_at_one():
    links, events = build(3)
    broken = walk_chain(stored(links[1:], events)).first_break
    assert (broken.position, broken.kind) == (1, BreakKind.SEAL_MISSING)


def test_it_names_swapped_seals_as_reordered_when_it_can_look_hashes_up():
    links, events = build(5)
    third, fourth = links[2], links[3]
    swapped = [*links[:2], replace(fourth, position=3), replace(third, position=4), links[4]]
    positions = {link.hash: link.position for link in swapped}
    broken = walk_chain(stored(swapped, events), position_of_hash=positions.get).first_break
    assert (broken.position, broken.event_id, broken.kind) == (3, 4, BreakKind.SEAL_REORDERED)
    assert walk_chain(stored(swapped, events)).first_break.kind == BreakKind.PREV_MISMATCH


def test_it_names_a_closed_gap_as_a_prev_mismatch():
    links, events = build(5)
    renumbered = [*links[:2], *(replace(link, position=link.position - 1) for link in links[3:])]
    positions = {link.hash: link.position for link in renumbered}
    broken = walk_chain(stored(renumbered, events), position_of_hash=positions.get).first_break
    assert (broken.position, broken.event_id, broken.kind) == (3, 4, BreakKind.PREV_MISMATCH)


def test_it_detects_a_seal_hash_edited_to_fit():
    links, events = build(4)
    events[2] = replace(events[2], object_id="999")
    # The attacker recomputes link 2's hash but cannot fix link 3 without rewriting it too.
    forged = replace(links[1], hash=link_hash(links[1].prev_hash, events[2]))
    broken = walk_chain(stored([links[0], forged, *links[2:]], events)).first_break
    assert (broken.position, broken.kind) == (3, BreakKind.PREV_MISMATCH)


def test_it_parses_an_anchor():
    digest = "AB" * 32
    assert parse_anchor(f" 12:{digest}\n") == Anchor(position=12, hash=digest.lower())
    assert str(Anchor(position=12, hash="ab" * 32)) == f"12:{'ab' * 32}"


@pytest.mark.parametrize("text", ["", "12", "0:" + "a" * 64, "x:" + "a" * 64, "3:abc", "3:" + "g" * 64])
def test_it_refuses_a_malformed_anchor(text):
    with pytest.raises(ValueError, match="anchor"):
        parse_anchor(text)
