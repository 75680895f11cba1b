from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from shinsa.audit.models import AuditEvent
from shinsa.audit.sealing import chain_head, seal_pending
from tests.audit.writes import on_postgres, raw_sql, run_shinsa, tampering, write_event


def audit(*args: str) -> str:
    out = StringIO()
    call_command("audit", *args, stdout=out)
    return out.getvalue()


def test_it_seals_and_says_how_many(db):
    write_event()
    write_event()
    assert audit("seal").strip() == "Sealed 2 audit events."
    assert audit("seal").strip() == "Sealed 0 audit events."


def test_it_prints_the_head_as_an_anchor(db):
    write_event()
    seal_pending()
    head = chain_head()
    assert audit("anchor").strip() == f"{head.position}:{head.hash}"


def test_it_refuses_to_anchor_an_empty_chain(db):
    with pytest.raises(CommandError, match="empty"):
        audit("anchor")


def test_it_reports_an_intact_chain_and_a_holding_anchor(db):
    for _ in range(3):
        write_event()
    seal_pending()
    anchor = audit("anchor").strip()
    lines = audit("verify", "--anchor", anchor).splitlines()
    assert lines == ["Audit chain intact: 3 events sealed, head at position 3.", f"Anchor {anchor} holds."]


def test_it_mentions_recent_events_still_waiting_for_the_sealer(db):
    write_event()
    seal_pending()
    write_event()
    assert audit("verify").splitlines() == [
        "Audit chain intact: 1 event sealed, head at position 1.",
        "1 recent event is waiting to be sealed.",
    ]


def test_it_refuses_a_malformed_anchor(db):
    with pytest.raises(CommandError, match="Bad anchor '12:zz'"):
        audit("verify", "--anchor", "12:zz")


def test_it_reports_a_missing_anchor_position(db):
    write_event()
    seal_pending()
    with pytest.raises(CommandError, match="Anchor 9 is gone") as raised:
        audit("verify", "--anchor", f"9:{'a' * 64}")
    assert raised.value.returncode == 1


def test_it_reports_a_mismatched_anchor(db):
    write_event()
    seal_pending()
    with pytest.raises(CommandError, match="Anchor 1 does not match"):
        audit("verify", "--anchor", f"1:{'a' * 64}")


def test_it_prints_json(db, settings):
    write_event()
    seal_pending()
    result = json.loads(audit("verify", "--json"))
    assert result["intact"] is True and result["first_break"] is None
    assert result["head"]["position"] == 1 and result["seals"] == 1
    assert result["unsealed"] == {
        "count": 0,
        "waiting": 0,
        "grace_seconds": settings.AUDIT_SEAL_GRACE_SECONDS,
        "oldest_event_id": None,
        "oldest_occurred_at": None,
    }


@pytest.mark.db_sensitive
@pytest.mark.django_db(transaction=True)
def test_it_names_the_first_broken_link_in_one_line_and_exits_1():
    events = [write_event(object_id=str(i)).pk for i in range(3)]
    seal_pending()
    assert run_shinsa("audit", "verify").returncode == 0
    with tampering():
        raw_sql("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["edited", events[1]])
    done = run_shinsa("audit", "verify")
    assert done.returncode == 1
    reason = "the event or its seal was changed after sealing"
    assert done.stderr == f"Audit chain broken at position 2 (event {events[1]}): {reason}.\n"
    as_json = run_shinsa("audit", "verify", "--json")
    assert as_json.returncode == 1
    assert json.loads(as_json.stdout)["first_break"] == {
        "position": 2,
        "event_id": events[1],
        "kind": "event_modified",
    }


@pytest.mark.db_sensitive
@pytest.mark.django_db(transaction=True)
def test_it_speaks_japanese_when_asked():
    events = [write_event(object_id=str(i)).pk for i in range(2)]
    seal_pending()
    with tampering():
        raw_sql("DELETE FROM audit_auditevent WHERE id = %s", [events[0]])
    done = run_shinsa("audit", "verify", extra_env={"SHINSA_LANG": "ja"})
    assert done.returncode == 1
    reason = "封印済みのイベントが削除されています"
    assert done.stderr == f"監査チェーンが位置 1（イベント {events[0]}）で壊れています: {reason}。\n"


def test_it_reports_events_left_unsealed_in_one_line(db, settings):
    settings.AUDIT_SEAL_GRACE_SECONDS = 60
    write_event()
    seal_pending()
    late = AuditEvent.objects.create(
        occurred_at=timezone.now() - timedelta(minutes=5),
        actor_label="worker",
        verb="test.late",
        object_type="test.thing",
        object_id="9",
    )
    with pytest.raises(CommandError) as raised:
        audit("verify")
    assert str(raised.value) == f"1 audit event unsealed for more than 60 seconds (oldest: event {late.pk})."


@pytest.mark.django_db(transaction=True)
def test_it_lists_its_subcommands_in_help():
    assert "audit" in run_shinsa("--help").stdout
    help_text = run_shinsa("audit", "--help").stdout
    for subcommand in ("seal", "verify", "anchor", "grant-app-role"):
        assert subcommand in help_text


def test_it_refuses_grant_app_role_on_sqlite(db):
    if on_postgres():
        pytest.skip("SQLite only")
    with pytest.raises(CommandError, match="only applies to PostgreSQL"):
        audit("grant-app-role", "shinsa_app")
