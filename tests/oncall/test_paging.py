"""Pages: raised to the person on call, deduplicated, silenced, acknowledged, escalated by the worker's
housekeeping, audited, and delivered by e-mail and by a signed webhook to a real local HTTP server."""

from __future__ import annotations

import datetime
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail
from django.utils import timezone

from shinsa.accounts.actions import do_update_user
from shinsa.jobs.housekeeping import Housekeeping, WorkerIdentity
from shinsa.oncall.actions import (
    do_acknowledge_page,
    do_add_override,
    do_create_rotation,
    do_raise_page,
    do_silence_condition,
    do_swap_shifts,
)
from shinsa.oncall.errors import OncallError
from shinsa.oncall.models import Page, PageStatus
from shinsa.oncall.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify

SECRET = "test-webhook-secret"


@pytest.fixture
def rotation(cast):  # noqa: ANN001
    for person in (cast.sora, cast.mei, cast.ada):
        do_update_user(actor="system", user=person, email=f"{person.username}@example.test")
    today = timezone.now().date()
    return do_create_rotation(
        actor=cast.mei,
        slug="primary",
        name_en="Primary",
        name_ja="プライマリ",
        pattern="weekly",
        zone="UTC",
        first_day=today - datetime.timedelta(days=today.weekday()),
        handoff_hour=0,
        members=[cast.sora, cast.mei, cast.ada],
        escalate_after_minutes=10,
    )


def raise_page(condition="backlog:general", now=None):  # noqa: ANN001, ANN201
    return do_raise_page(
        actor="worker", kind="backlog", condition=condition, summary="Queue general is deep", now=now
    )


def test_it_pages_the_person_on_call_by_email_and_audits_it(
    rotation, cast, audit_log, django_capture_on_commit_callbacks
):
    log = audit_log()
    with django_capture_on_commit_callbacks(execute=True):
        page = raise_page()
    assert page.paged_user == cast.sora and page.level == 0
    assert [m.to for m in mail.outbox] == [["sora@example.test"]]
    assert "Queue general is deep" in mail.outbox[0].subject
    assert [d.channel for d in page.deliveries.all()] == ["email"]
    assert {"oncall.page.raised", "oncall.page.delivered"} <= set(log.verbs())


@pytest.mark.db_sensitive  # the partial unique constraint and row locks behave per database
def test_repeats_are_deduplicated_and_a_silence_sends_nothing(
    rotation, cast, audit_log, django_capture_on_commit_callbacks
):
    log = audit_log()
    with django_capture_on_commit_callbacks(execute=True):
        first = raise_page()
        again = raise_page()
    assert again.pk == first.pk and again.repeats == 1 and len(mail.outbox) == 1
    do_acknowledge_page(actor=cast.sora, page=first)
    from shinsa.oncall.actions import do_resolve_page

    do_resolve_page(actor=cast.sora, page=first)
    do_silence_condition(actor=cast.sora, condition="backlog:general", minutes=60, reason="known migration")
    with django_capture_on_commit_callbacks(execute=True):
        assert raise_page() is None
    assert len(mail.outbox) == 1 and Page.objects.count() == 1
    later = timezone.now() + datetime.timedelta(minutes=61)
    with django_capture_on_commit_callbacks(execute=True):
        assert raise_page(now=later) is not None
    assert {"oncall.page.acknowledged", "oncall.page.resolved", "oncall.condition.silenced"} <= set(
        log.verbs()
    )
    with pytest.raises(OncallError):
        do_silence_condition(actor=cast.sora, condition="x", minutes=60, reason=" ")


@pytest.mark.db_sensitive  # SELECT … FOR UPDATE OF over joined, nullable relations (PostgreSQL)
def test_an_unacknowledged_page_escalates_in_housekeeping_and_an_acknowledged_one_does_not(
    rotation, cast, audit_log, django_capture_on_commit_callbacks
):
    log = audit_log()
    past = timezone.now() - datetime.timedelta(minutes=11)
    with django_capture_on_commit_callbacks(execute=True):
        page = raise_page(now=past)
        quiet = raise_page(condition="backlog:other", now=past)
    do_acknowledge_page(actor=cast.sora, page=quiet)
    keeper = Housekeeping(
        identity=WorkerIdentity(worker_id="w-test", pid=1, host="h", backend_name="default"),
        every=datetime.timedelta(seconds=1),
        stale_after=datetime.timedelta(seconds=30),
        max_attempts=3,
    )
    with django_capture_on_commit_callbacks(execute=True):
        keeper.tick()
    page.refresh_from_db()
    quiet.refresh_from_db()
    assert (page.level, page.paged_user) == (1, cast.mei) and page.status == PageStatus.OPEN
    assert (quiet.level, quiet.status) == (0, PageStatus.ACKNOWLEDGED)
    assert mail.outbox[-1].to == ["mei@example.test"]
    assert log.verbs().count("oncall.page.escalated") == 1


def test_only_people_who_take_pages_acknowledge(rotation, cast):
    page = raise_page()
    from shinsa.accounts.errors import MissingPermission

    with pytest.raises(MissingPermission):
        do_acknowledge_page(actor=cast.rin, page=page)
    do_acknowledge_page(actor=cast.mei, page=page)
    with pytest.raises(OncallError, match="acknowledged already"):
        do_acknowledge_page(actor=cast.sora, page=page)


def test_overrides_and_swaps_change_who_is_paged(rotation, cast):
    now = timezone.now()
    do_add_override(
        actor=cast.ada,
        rotation=rotation,
        user=cast.ada,
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(hours=1),
        reason="sora at the dentist",
    )
    assert raise_page().paged_user == cast.ada
    first, second = do_swap_shifts(
        actor=cast.mei, rotation=rotation, first_index=5, second_index=6, reason="holiday"
    )
    assert (first.user_id, second.user_id) == (rotation.plan().members[6 % 3], rotation.plan().members[5 % 3])
    with pytest.raises(OncallError):
        do_add_override(
            actor=cast.mei, rotation=rotation, user=cast.sora, starts_at=now, ends_at=now, reason="x"
        )


class _Receiver(BaseHTTPRequestHandler):
    received: list[tuple[dict[str, str], bytes]] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Receiver.received.append((dict(self.headers), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_it_posts_a_signed_webhook_a_receiver_can_verify(
    rotation, settings, django_capture_on_commit_callbacks
):
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Receiver.received = []
    try:
        settings.SHINSA_ONCALL_WEBHOOK_SECRET = SECRET
        rotation.webhook_url = f"http://127.0.0.1:{server.server_port}/hooks/shinsa"
        rotation.save(update_fields=["webhook_url"])
        with django_capture_on_commit_callbacks(execute=True):
            page = raise_page()
    finally:
        server.shutdown()
        thread.join()
    headers, body = _Receiver.received[0]
    assert json.loads(body)["condition"] == "backlog:general"
    assert verify(SECRET, headers[TIMESTAMP_HEADER], body, headers[SIGNATURE_HEADER], now=int(time.time()))
    assert not verify(
        SECRET, headers[TIMESTAMP_HEADER], body + b" ", headers[SIGNATURE_HEADER], now=int(time.time())
    )
    assert not verify(
        "wrong", headers[TIMESTAMP_HEADER], body, headers[SIGNATURE_HEADER], now=int(time.time())
    )
    assert not verify(
        SECRET, headers[TIMESTAMP_HEADER], body, headers[SIGNATURE_HEADER], now=int(time.time()) + 3600
    )
    assert [(d.channel, d.ok) for d in page.deliveries.order_by("channel")] == [
        ("email", True),
        ("webhook", True),
    ]


def test_a_failed_webhook_is_recorded_not_raised(rotation, django_capture_on_commit_callbacks):
    rotation.webhook_url = "http://127.0.0.1:9/unreachable"
    rotation.save(update_fields=["webhook_url"])
    with django_capture_on_commit_callbacks(execute=True):
        page = raise_page()
    webhook = page.deliveries.get(channel="webhook")
    assert not webhook.ok and webhook.error
