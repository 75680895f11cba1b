from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from shinsa.audit import record
from shinsa.audit.models import AuditEvent
from shinsa.audit.recording import MAX_PAYLOAD_BYTES, AuditPayloadError
from shinsa.web.request_context import reset_request_id, set_request_id
from tests.audit.writes import write_event


def test_it_records_actor_object_payloads_and_request_id(cast):
    token = set_request_id("req-42")
    try:
        with transaction.atomic():
            event = record(
                actor=cast.rin,
                verb="role.grant",
                obj=cast.sora,
                before={"roles": []},
                after={"roles": ["qa"]},
            )
    finally:
        reset_request_id(token)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.actor, stored.actor_label, stored.verb) == (cast.rin, "rin", "role.grant")
    assert (stored.object_type, stored.object_id) == ("accounts.user", str(cast.sora.pk))
    assert (stored.before, stored.after, stored.request_id) == ({"roles": []}, {"roles": ["qa"]}, "req-42")


def test_it_labels_a_non_user_actor(db):
    assert write_event(actor="worker").actor_label == "worker"
    assert write_event(actor=None).actor_label == "system"


def test_it_refuses_to_record_outside_a_transaction(transactional_db):
    with pytest.raises(RuntimeError, match="inside the transaction"):
        record(actor="system", verb="x.y", object_type="test.thing", object_id=1)


def test_it_rolls_back_with_the_change_it_records(db):
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        record(actor="system", verb="x.y", object_type="test.thing", object_id=1)
        1 / 0  # noqa: B018
    assert not AuditEvent.objects.exists()


def test_it_refuses_a_payload_over_the_size_cap(db):
    with pytest.raises(AuditPayloadError, match=f"at most {MAX_PAYLOAD_BYTES}"):
        write_event(after={"note": "x" * MAX_PAYLOAD_BYTES})
    write_event(after={"note": "x" * (MAX_PAYLOAD_BYTES - 20)})


def test_it_counts_the_cap_in_utf8_bytes(db):
    with pytest.raises(AuditPayloadError):
        write_event(before={"title": "審" * (MAX_PAYLOAD_BYTES // 3)})


@pytest.mark.parametrize(
    ("payload", "problem"),
    [
        (["not", "a", "dict"], "must be a dict"),
        ({"when": dt.datetime(2026, 1, 1, tzinfo=dt.UTC)}, "plain JSON"),
        ({"score": float("nan")}, "plain JSON"),
    ],
)
def test_it_refuses_a_payload_that_is_not_plain_json(db, payload, problem):
    with pytest.raises(AuditPayloadError, match=problem):
        write_event(after=payload)
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("verb", ["", "v" * 65])
def test_it_refuses_an_empty_or_overlong_verb(db, verb):
    with pytest.raises(AuditPayloadError, match="verb"):
        write_event(verb=verb)


def test_it_refuses_an_overlong_object_id(db):
    with pytest.raises(AuditPayloadError, match="object_id"):
        write_event(object_id="9" * 65)


def test_it_needs_an_object(db):
    with pytest.raises(ValueError, match="obj or object_type"), transaction.atomic():
        record(actor="system", verb="x.y")
