"""Outgoing webhooks against a real HTTP receiver on loopback: signed bodies (two keys while rotating),
retries with exponential backoff queued for the task worker, the delivery log, and no media ever."""

from __future__ import annotations

import io
import json
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from shinsa.api.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from shinsa.api.signing import HEADER, verify
from shinsa.api.tasks import deliver_webhook
from shinsa.api.webhooks import (
    do_add_webhook,
    do_retire_webhook_secret,
    do_rotate_webhook_secret,
    emit,
    media_free,
)
from shinsa.review.actions import do_claim_next_item, do_decide, do_upsert_item

pytestmark = pytest.mark.django_db
TASK = "shinsa.api.tasks.deliver_webhook"


class Receiver:
    """Answers each POST with the next programmed status (then 200) and keeps what it got."""

    def __init__(self, statuses: list[int] | None = None) -> None:
        self.statuses = list(statuses or [])
        self.received: list[tuple[dict[str, str], bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver.received.append((dict(self.headers), body))
                self.send_response(receiver.statuses.pop(0) if receiver.statuses else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"


@pytest.fixture
def receiver():
    made: list[Receiver] = []

    def make(statuses=None) -> Receiver:
        made.append(Receiver(statuses))
        return made[-1]

    yield make
    for each in made:
        each.server.shutdown()
        each.server.server_close()


def run_queued_deliveries() -> int:
    """What `shinsa worker` does with the queue: run each ready deliver_webhook task once."""
    ready = list(DBTaskResult.objects.ready().filter(task_path=TASK))
    for row in ready:
        deliver_webhook.call(*row.args_kwargs["args"])
        row.delete()
    return len(ready)


def test_a_decision_is_sent_signed_with_ids_only(team, version, receiver, django_capture_on_commit_callbacks):
    hook = receiver()
    endpoint = do_add_webhook(actor="system", name="crm", url=hook.url, event_types=["decision.made"])
    do_upsert_item(actor="system", title_version=version, policy_area="hate")
    with django_capture_on_commit_callbacks(execute=True):
        item = do_claim_next_item(actor=team.rin)
        decision = do_decide(
            actor=team.rin,
            item=item,
            action="restrict",
            clause_id="HAT-1",
            territories=["JP"],
            evidence=[{"kind": "frame", "start_ms": 61_000, "note": "the frame"}],
            source="customer_report",
            automated_detection=False,
        )
    assert run_queued_deliveries() == 1
    (headers, body) = hook.received[0]
    assert headers["Shinsa-Event"] == "decision.made"
    assert verify(headers[HEADER], body, endpoint.secret, now=time.time())
    assert not verify(headers[HEADER], body + b" ", endpoint.secret, now=time.time())
    assert not verify(headers[HEADER], body, endpoint.secret, now=time.time() + 3600)  # replayed later
    event = json.loads(body)
    assert event["type"] == "decision.made" and event["id"] == headers["Shinsa-Event-Id"]
    assert event["data"]["decision"] == decision.pk and event["data"]["title"] == "film-1"
    assert "evidence" not in event["data"] and "frame" not in body.decode()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 200)


def test_it_retries_with_exponential_backoff_then_delivers(
    receiver, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 30
    hook = receiver([500, 503])
    do_add_webhook(actor="system", name="ops", url=hook.url)
    with django_capture_on_commit_callbacks(execute=True):
        emit("rating.published", {"assessment": 1, "title": "film-1"})
    waits = []
    for _round in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            assert run_queued_deliveries() == 1
        delivery = WebhookDelivery.objects.get()
        later = DBTaskResult.objects.filter(task_path=TASK).first()
        if later is not None:  # the retry waits in the queue until its time
            waits.append((later.run_after - timezone.now()).total_seconds())
            assert run_queued_deliveries() == 0
            DBTaskResult.objects.filter(pk=later.pk).update(run_after=timezone.now() - timedelta(seconds=1))
    assert [round(wait / 10) * 10 for wait in waits] == [30, 60]
    assert delivery.status == "delivered" and delivery.attempts == 3
    assert list(WebhookAttempt.objects.order_by("number").values_list("status_code", flat=True)) == [
        500,
        503,
        200,
    ]
    assert len({json.loads(body)["id"] for _headers, body in hook.received}) == 1  # the same event each time


def test_it_gives_up_after_the_last_try_and_logs_the_error(settings, django_capture_on_commit_callbacks):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    settings.WEBHOOK_RETRY_BASE_SECONDS = 1
    do_add_webhook(actor="system", name="gone", url="http://127.0.0.1:9/nothing-listens")
    with django_capture_on_commit_callbacks(execute=True):
        emit("decision.made", {"decision": 1})
    for _round in range(2):
        DBTaskResult.objects.update(run_after=timezone.now() - timedelta(seconds=1))
        with django_capture_on_commit_callbacks(execute=True):
            run_queued_deliveries()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("failed", 2, None)
    assert "ConnectionError" in delivery.last_error
    assert not DBTaskResult.objects.filter(task_path=TASK).exists()


def test_two_keys_sign_during_a_rotation(receiver, django_capture_on_commit_callbacks):
    hook = receiver()
    endpoint = do_add_webhook(actor="system", name="crm", url=hook.url)
    old = endpoint.secret
    new = do_rotate_webhook_secret(actor="system", endpoint=endpoint).secret
    with django_capture_on_commit_callbacks(execute=True):
        emit("appeal.decided", {"appeal": 3})
    run_queued_deliveries()
    headers, body = hook.received[-1]
    assert headers[HEADER].count("v1=") == 2
    assert verify(headers[HEADER], body, old, now=time.time()) and verify(
        headers[HEADER], body, new, now=time.time()
    )
    do_retire_webhook_secret(actor="system", endpoint=endpoint)
    with django_capture_on_commit_callbacks(execute=True):
        emit("appeal.decided", {"appeal": 4})
    run_queued_deliveries()
    headers, body = hook.received[-1]
    assert verify(headers[HEADER], body, new, now=time.time()) and not verify(
        headers[HEADER], body, old, now=time.time()
    )


def test_only_subscribed_active_endpoints_get_an_event(receiver):
    do_add_webhook(actor="system", name="ratings-only", url=receiver().url, event_types=["rating.published"])
    assert emit("decision.made", {"decision": 1}) == []
    assert len(emit("rating.published", {"assessment": 1})) == 1


@pytest.mark.parametrize(
    "payload",
    [
        {"decision": 1, "frame": "frames/1.jpg"},
        {"ratings": [{"artwork": 7}]},
        {"preview": "data:image/png;base64,AAAA"},
        {"blob": b"\x89PNG"},
    ],
)
def test_it_refuses_media_in_a_body(receiver, payload):
    do_add_webhook(actor="system", name="crm", url=receiver().url)
    with pytest.raises(ValueError, match="webhook"):
        emit("decision.made", payload)
    assert not WebhookDelivery.objects.exists()
    media_free({"decision": 1, "title": "film-1", "territories": ["JP"]})  # ids and facts pass


def test_the_webhook_command(receiver):
    out = io.StringIO()
    call_command("webhook", "add", "crm", receiver().url, "--event", "decision.made", stdout=out)
    secret = out.getvalue().strip()
    assert secret.startswith("whsec_") and WebhookEndpoint.objects.get().secret == secret
    out = io.StringIO()
    call_command("webhook", "list", stdout=out)
    assert "crm" in out.getvalue() and secret not in out.getvalue() and "keys 1" in out.getvalue()
    out = io.StringIO()
    call_command("webhook", "rotate", "crm", stdout=out)
    assert out.getvalue().strip() != secret and WebhookEndpoint.objects.get().previous_secret == secret
    with pytest.raises(Exception, match="unknown event"):
        call_command("webhook", "add", "x", receiver().url, "--event", "nope")


def test_admins_manage_webhooks_over_the_api(
    client, cast, token_for, receiver, django_capture_on_commit_callbacks
):
    ada = token_for(cast.ada)
    made = client.post(
        "/api/v1/webhooks",
        {"name": "crm", "url": receiver().url, "event_types": ["decision.made"]},
        content_type="application/json",
        headers=ada,
    )
    assert made.status_code == 201 and made.json()["secret"].startswith("whsec_")
    hook_id = made.json()["id"]
    listed = client.get("/api/v1/webhooks", headers=ada).json()
    assert listed["total"] == 1 and "secret" not in listed["items"][0]
    rotated = client.post(f"/api/v1/webhooks/{hook_id}/rotate", headers=ada).json()
    assert rotated["keys"] == 2 and rotated["secret"] != made.json()["secret"]
    assert client.post(f"/api/v1/webhooks/{hook_id}/retire-secret", headers=ada).json()["keys"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        emit("decision.made", {"decision": 1})
    run_queued_deliveries()
    log = client.get(f"/api/v1/webhooks/{hook_id}/deliveries?status=delivered", headers=ada).json()
    assert log["total"] == 1 and log["items"][0]["last_status_code"] == 200
    bad = client.post(
        "/api/v1/webhooks", {"name": "x", "url": "ftp://nope"}, content_type="application/json", headers=ada
    )
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_webhook"
    reader = token_for(cast.ada, "reader", scopes=("read",))
    assert client.post(f"/api/v1/webhooks/{hook_id}/rotate", headers=reader).json()["error"]["code"] == (
        "insufficient_scope"
    )


def test_the_documented_verification_snippet_accepts_a_real_delivery(
    receiver, django_capture_on_commit_callbacks
):
    """The snippet in docs/api.md, run as written against what the receiver got."""
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text(encoding="utf-8")
    snippet = doc.split("Verifying in Python", 1)[1].split("```python", 1)[1].split("```", 1)[0]
    namespace: dict = {}
    exec(snippet, namespace)  # noqa: S102 - our own documentation
    hook = receiver()
    endpoint = do_add_webhook(actor="system", name="crm", url=hook.url)
    with django_capture_on_commit_callbacks(execute=True):
        emit("decision.made", {"decision": 1})
    run_queued_deliveries()
    headers, body = hook.received[0]
    assert namespace["verify_shinsa"](headers[HEADER], body, endpoint.secret)
    assert not namespace["verify_shinsa"](headers[HEADER], body, "whsec_wrong")
    assert not namespace["verify_shinsa"](headers[HEADER], body.replace(b"1", b"2"), endpoint.secret)


@pytest.mark.db_sensitive
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_retries_with_backoff_until_delivered(receiver, tmp_path):
    """`shinsa worker` as a real process: the first try gets a 500, the retry waits its backoff, then
    delivers; the log holds both tries."""
    from tests.jobs.processes import shinsa_env, start_shinsa, stop, wait_for

    hook = receiver([500])
    do_add_webhook(actor="system", name="crm", url=hook.url)
    emit("decision.made", {"decision": 1})  # autocommit: queued at once
    log = tmp_path / "worker.log"
    env = shinsa_env(SHINSA_WEBHOOK_RETRY_BASE_SECONDS="2")
    worker = start_shinsa("worker", "--worker-id", "hooks", "--interval", "0.2", env=env, log=log)
    try:
        wait_for(
            lambda: WebhookDelivery.objects.filter(status="delivered").exists(),
            seconds=60,
            what="the delivery to succeed on its retry",
            log=log,
        )
    finally:
        assert stop(worker) == 0
    attempts = list(WebhookAttempt.objects.order_by("number"))
    assert [a.status_code for a in attempts] == [500, 200]
    assert (attempts[1].at - attempts[0].at).total_seconds() >= 2  # waited the backoff
    assert len(hook.received) == 2
