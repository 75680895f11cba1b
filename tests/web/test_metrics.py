"""/metrics: Prometheus text (queues, SLA, tasks, audit), only for allowed addresses or with the token."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from shinsa.catalog.tasks import fingerprint_asset_version
from shinsa.review.actions import do_sync_queues, do_upsert_item
from shinsa.review.models import WorkItem
from tests.review.conftest import make_version

SAMPLE = re.compile(r'^([a-z_]+)(?:\{((?:[a-z_]+="[^"]*",?)*)\})? (-?[0-9.e+]+)$')


def parse(text: str) -> dict[tuple[str, frozenset], float]:
    """Every sample line, checked against the exposition format; HELP/TYPE lines checked too."""
    samples = {}
    for line in text.splitlines():
        if line.startswith("# HELP ") or line.startswith("# TYPE "):
            continue
        match = SAMPLE.match(line)
        assert match, f"not Prometheus text: {line!r}"
        name, labels, value = match.groups()
        pairs = frozenset(re.findall(r'([a-z_]+)="([^"]*)"', labels or ""))
        samples[(name, pairs)] = float(value)
    return samples


@pytest.mark.django_db(transaction=True)
def test_it_reports_queue_depth_age_sla_risk_task_latency_and_failures(client):
    do_sync_queues(actor="system")
    overdue = do_upsert_item(actor="system", title_version=make_version("m-1"), policy_area="hate")
    do_upsert_item(actor="system", title_version=make_version("m-2"), policy_area="hate")
    WorkItem.objects.filter(pk=overdue.pk).update(
        due_at=timezone.now() - datetime.timedelta(minutes=5),
        created_at=timezone.now() - datetime.timedelta(minutes=30),
    )
    fingerprint_asset_version.enqueue(987654)  # no such asset version: it will fail
    before = parse(client.get("/metrics").content.decode())
    assert before[("shinsa_task_queue_depth", frozenset({("queue", "default"), ("status", "ready")}))] == 1
    call_command("worker", "--once", "--worker-id", "metrics-test", verbosity=0)

    response = client.get("/metrics")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    samples = parse(response.content.decode())
    queue = overdue.queue_id
    assert samples[("shinsa_review_queue_depth", frozenset({("queue", queue), ("status", "open")}))] == 2
    assert samples[("shinsa_review_queue_oldest_age_seconds", frozenset({("queue", queue)}))] >= 1700
    assert samples[("shinsa_review_sla_items", frozenset({("queue", queue), ("state", "breached")}))] == 1
    assert samples[("shinsa_task_queue_depth", frozenset({("queue", "default"), ("status", "ready")}))] == 0
    failed = (
        "shinsa_tasks_finished_last_hour",
        frozenset({("task", "fingerprint_asset_version"), ("status", "failed")}),
    )
    assert samples[failed] == 1
    p99 = (
        "shinsa_task_duration_seconds_last_hour",
        frozenset({("task", "fingerprint_asset_version"), ("quantile", "0.99")}),
    )
    assert 0 <= samples[p99] < 60
    assert samples[("shinsa_audit_unsealed_events", frozenset())] >= 0


@pytest.mark.django_db
def test_it_refuses_other_addresses_unless_they_bring_the_token(client, settings):
    settings.METRICS_TOKEN = "scrape-secret-1"
    far = {"REMOTE_ADDR": "203.0.113.9"}
    assert client.get("/metrics", **far).status_code == 403
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}, **far).status_code == 403
    assert (
        client.get("/metrics", headers={"Authorization": "Bearer scrape-secret-1"}, **far).status_code == 200
    )
    settings.METRICS_ALLOWED_ADDRESSES = ["203.0.113.0/24"]
    assert client.get("/metrics", **far).status_code == 200
    assert client.get("/metrics").status_code == 403  # 127.0.0.1 is no longer listed
    settings.METRICS_TOKEN = ""
    assert (
        client.get(
            "/metrics", headers={"Authorization": "Bearer "}, **{"REMOTE_ADDR": "198.51.100.1"}
        ).status_code
        == 403
    )
    assert b"shinsa_" not in client.get("/metrics", **{"REMOTE_ADDR": "198.51.100.1"}).content
