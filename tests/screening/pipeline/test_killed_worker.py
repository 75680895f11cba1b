"""A real `shinsa worker` killed (SIGKILL) in the middle of a screening run: the run is retried by another
worker and completes exactly once — no duplicate hits, renditions or review signals."""

from __future__ import annotations

import signal

import pytest
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from shinsa.catalog.models import Rendition
from shinsa.review.models import WorkItemSignal
from shinsa.screening.models import RunStatus, ScreeningHit, ScreeningRun
from tests.jobs.processes import shinsa_env, start_shinsa, stop, wait_for
from tests.screening.pipeline.tasks_for_test import screen_pausing_once

pytestmark = [pytest.mark.db_sensitive, pytest.mark.media]

FAST_HEARTBEATS = {"SHINSA_WORKER_HEARTBEAT_SECONDS": "1", "SHINSA_WORKER_STALE_SECONDS": "2"}


def _kill_mid_stage_then_retry(tmp_path, asset_version_id: int, stage: str) -> DBTaskResult:
    marker = tmp_path / "paused"
    result = screen_pausing_once.enqueue(
        asset_version_id=asset_version_id, stage=stage, marker=str(marker), pause_seconds=120
    )
    env = shinsa_env(**FAST_HEARTBEATS)
    log = tmp_path / "workers.log"
    first = start_shinsa("worker", "--worker-id", "first", "--interval", "0.2", env=env, log=log)
    try:
        wait_for(marker.exists, seconds=120, what=f"the run to pause inside {stage}", log=log)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    run = ScreeningRun.objects.get(asset_version_id=asset_version_id)
    assert run.status == RunStatus.RUNNING and run.stages.get(name=stage).status == "running"

    second = start_shinsa("worker", "--worker-id", "second", "--interval", "0.2", env=env, log=log)
    try:
        wait_for(
            lambda: DBTaskResult.objects.get(id=result.id).status == TaskResultStatus.SUCCESSFUL,
            seconds=120,
            what="the screening task to be retried and succeed",
            log=log,
        )
    finally:
        assert stop(second) == 0
    return DBTaskResult.objects.get(id=result.id)


def test_a_worker_killed_while_making_review_items_leaves_no_duplicate(transactional_db, catalog, tmp_path):
    task = _kill_mid_stage_then_retry(tmp_path, catalog.subtitle.pk, "review")
    assert task.worker_ids == ["first", "second"] and task.return_value == "done"
    run = ScreeningRun.objects.get(asset_version=catalog.subtitle)
    assert run.status == RunStatus.DONE and run.attempts == 2
    stages = {stage.name: stage for stage in run.stages.all()}
    assert stages["text"].attempts == 1  # done before the kill: not redone
    assert stages["review"].attempts == 2
    hits = ScreeningHit.objects.filter(run=run)
    assert hits.count() == 2 and not hits.filter(review_item__isnull=True).exists()
    signals = WorkItemSignal.objects.filter(item__title_version=catalog.cut)
    assert signals.count() == 2 and set(signals.values_list("count", flat=True)) == {1}


def test_a_worker_killed_mid_decode_redoes_the_pass_once(transactional_db, catalog, tmp_path):
    task = _kill_mid_stage_then_retry(tmp_path, catalog.video.pk, "decode")
    assert task.return_value == "done"
    run = ScreeningRun.objects.get(asset_version=catalog.video)
    stages = {stage.name: stage for stage in run.stages.all()}
    assert stages["probe"].attempts == 1 and stages["decode"].attempts == 2
    assert run.status == RunStatus.DONE and len(run.scene_cuts) == 2
    assert sorted(Rendition.objects.filter(asset_version=catalog.video).values_list("kind", flat=True)) == [
        "poster",
        "proxy",
        "sprite",
        "sprite.vtt",
    ]
