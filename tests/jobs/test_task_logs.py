"""Worker tasks log JSON lines with a request id of their own, shared with the audit events they write."""

from __future__ import annotations

import io
import json

from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from shinsa.audit.models import AuditEvent
from shinsa.catalog.tasks import fingerprint_asset_version
from tests.catalog.manifests import one_file_title, write_json
from tests.hostile import files as hostile
from tests.jobs.processes import run_shinsa, shinsa_env


def test_each_task_logs_start_and_outcome_under_its_own_request_id(transactional_db, media_root, delivery):
    (delivery / "poster.png").write_bytes(hostile.small_png())
    manifest = write_json(delivery, [one_file_title("log-1", "artwork", "poster.png")])
    call_command("ingest", str(manifest), stdout=io.StringIO())
    fingerprint_asset_version.enqueue(987654)  # fails: no such asset version
    env = shinsa_env(SHINSA_MEDIA_ROOT=str(media_root), SHINSA_LOG_FORMAT="json")
    done = run_shinsa("-m", "shinsa.cli", "worker", "--once", "--worker-id", "logs-1", env=env, seconds=120)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    by_request: dict[str, list[str]] = {}
    for line in lines:
        if line["request_id"]:
            by_request.setdefault(line["request_id"], []).append(line["message"])

    tasks = {t.status: t for t in DBTaskResult.objects.all()}
    good, bad = tasks["SUCCESSFUL"], tasks["FAILED"]
    assert by_request[f"task-{good.id}"][0] == "task fingerprint_asset_version started (attempt 1)"
    assert by_request[f"task-{good.id}"][-1].startswith("task fingerprint_asset_version successful in ")
    assert by_request[f"task-{bad.id}"][-1].startswith("task fingerprint_asset_version failed in ")
    event = AuditEvent.objects.get(verb="catalog.asset_version.fingerprinted")
    assert event.request_id == f"task-{good.id}"
