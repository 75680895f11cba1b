"""The only writers of screening runs, stages and hits. Each change is audited in its transaction.

Idempotency: a stage's results (hits, run facts, renditions) are written in ONE transaction together with
the stage's ``done`` status, so a worker killed mid-stage leaves nothing of that stage and the retry redoes
it; hits are upserted by (run, key); each hit becomes review work in its own transaction that also marks
it (``review_item``), so a retry never adds a signal twice.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from shinsa import audit
from shinsa.catalog.actions import do_record_rendition
from shinsa.catalog.models import AssetVersion
from shinsa.media.proxy import Output
from shinsa.screening.models import RunStatus, ScreeningHit, ScreeningRun, ScreeningStage, StageStatus
from shinsa.screening.signals.base import SignalHit

_KEY_DETAIL = ("label", "term_id", "stream", "cue_index", "field", "index", "entry")


def hit_key(hit: SignalHit) -> str:
    """Run-unique identity of a hit: signal, policy area, time range and what matched (a label, a term)."""
    what = [f"{name}={hit.detail[name]}" for name in _KEY_DETAIL if name in hit.detail]
    start = "-" if hit.start_ms is None else str(hit.start_ms)
    end = "-" if hit.end_ms is None else str(hit.end_ms)
    key = "|".join([hit.signal, hit.policy_area, start, end, *what])
    if len(key) > 200:
        key = key[:135] + "#" + hashlib.sha256(key.encode()).hexdigest()
    return key


@transaction.atomic
def do_queue_run(*, actor: Any, asset_version: AssetVersion, rerun: bool = False) -> ScreeningRun:
    """The run of ``asset_version``, created queued; ``rerun`` resets a finished run's stages to pending."""
    run, created = ScreeningRun.objects.select_for_update().get_or_create(asset_version=asset_version)
    if created or rerun:
        if not created:
            run.status, run.error, run.started_at, run.finished_at = RunStatus.QUEUED, "", None, None
            run.save(update_fields=["status", "error", "started_at", "finished_at"])
            run.stages.update(
                status=StageStatus.PENDING, progress=0.0, note="", finished_at=None, seconds=None
            )
        audit.record(
            actor=actor,
            verb="screening.run.queued",
            obj=asset_version,
            after={"run": run.pk, "rerun": not created},
        )
    return run


@transaction.atomic
def do_begin_run(*, actor: Any, run: ScreeningRun, stages: Sequence[tuple[str, str]]) -> ScreeningRun:
    """Mark the run running (one more attempt) and make sure it has a row per stage, in order.

    ``stages`` is (name, note) per applicable stage; a note means the stage cannot run here (skipped).
    """
    locked = ScreeningRun.objects.select_for_update().select_related("asset_version").get(pk=run.pk)
    resumed = locked.status == RunStatus.RUNNING  # its last worker died: the task was put back
    locked.status, locked.error = RunStatus.RUNNING, ""
    locked.attempts += 1
    locked.started_at = locked.started_at or timezone.now()
    locked.finished_at = None
    locked.save(update_fields=["status", "error", "attempts", "started_at", "finished_at"])
    for position, (name, note) in enumerate(stages):
        stage, created = ScreeningStage.objects.get_or_create(
            run=locked, name=name, defaults={"position": position}
        )
        if note and stage.status != StageStatus.SKIPPED:
            stage.status, stage.note, stage.progress = StageStatus.SKIPPED, note[:500], 1.0
            stage.save(update_fields=["status", "note", "progress"])
        elif not note and stage.status == StageStatus.SKIPPED:
            stage.status, stage.note = StageStatus.PENDING, ""  # the missing piece is there now
            stage.save(update_fields=["status", "note"])
        if stage.position != position:
            ScreeningStage.objects.filter(pk=stage.pk).update(position=position)
    audit.record(
        actor=actor,
        verb="screening.run.started",
        obj=locked.asset_version,
        after={"run": locked.pk, "attempt": locked.attempts, "resumed": resumed},
    )
    return locked


# Stage status and progress below are bookkeeping a few times a second, not decisions: not audited.


def do_start_stage(*, stage: ScreeningStage) -> None:
    ScreeningStage.objects.filter(pk=stage.pk).update(
        status=StageStatus.RUNNING,
        progress=0.0,
        attempts=stage.attempts + 1,
        started_at=timezone.now(),
        note="",
    )


def do_report_progress(*, stage: ScreeningStage, fraction: float) -> None:
    """One small UPDATE, outside any stage transaction, so pages polling the run see it at once."""
    ScreeningStage.objects.filter(pk=stage.pk, status=StageStatus.RUNNING).update(
        progress=min(1.0, max(0.0, fraction))
    )


@transaction.atomic
def do_finish_stage(
    *,
    actor: Any,
    stage: ScreeningStage,
    seconds: float,
    hits: Iterable[SignalHit] = (),
    run_fields: dict[str, Any] | None = None,
    renditions: Iterable[tuple[str, Output]] = (),
) -> int:
    """Store a stage's results and mark it done, all or nothing. Returns the number of hits stored."""
    run = ScreeningRun.objects.select_for_update().select_related("asset_version").get(pk=stage.run_id)
    keys = set()
    for hit in hits:
        key = hit_key(hit)
        keys.add(key)
        ScreeningHit.objects.update_or_create(
            run=run,
            key=key,
            defaults={
                "stage": stage.name,
                "signal": hit.signal,
                "policy_area": hit.policy_area,
                "severity": hit.severity.value,
                "score": hit.score,
                "start_ms": hit.start_ms,
                "end_ms": hit.end_ms,
                "detail": json.loads(json.dumps(dict(hit.detail), default=str)),
            },
        )
    # Hits this stage found on an earlier run but not now (a lexicon changed) are gone; review items
    # already made from them keep their signals.
    ScreeningHit.objects.filter(run=run, stage=stage.name).exclude(key__in=keys).delete()
    if run_fields:
        skipped = run_fields.pop("skipped", None)
        for name, value in run_fields.items():
            setattr(run, name, value)
        if skipped:
            run.skipped = sorted(set(run.skipped) | set(skipped))
            run_fields["skipped"] = skipped
        run.save(update_fields=[*run_fields])
    recorded = []
    for kind, output in renditions:
        rendition = do_record_rendition(
            actor=actor,
            asset_version=run.asset_version,
            kind=kind,
            source=output.path,
            sha256=_sha256_of(output.path),
            extension=output.path.suffix,
            media_type=output.media_type,
            facts=output.facts,
        )
        if rendition is not None:
            recorded.append(kind)
    ScreeningStage.objects.filter(pk=stage.pk).update(
        status=StageStatus.DONE, progress=1.0, finished_at=timezone.now(), seconds=round(seconds, 3), note=""
    )
    audit.record(
        actor=actor,
        verb="screening.stage.done",
        obj=run.asset_version,
        after={"run": run.pk, "stage": stage.name, "hits": len(keys), "renditions": recorded},
    )
    return len(keys)


@transaction.atomic
def do_fail_run(*, actor: Any, stage: ScreeningStage, error: str, seconds: float) -> None:
    """Record a one-line error on the stage and the run; what earlier stages stored is kept."""
    line = " ".join(error.split())[:480]
    ScreeningStage.objects.filter(pk=stage.pk).update(
        status=StageStatus.FAILED, finished_at=timezone.now(), seconds=round(seconds, 3), note=line
    )
    run = ScreeningRun.objects.select_for_update().select_related("asset_version").get(pk=stage.run_id)
    run.status, run.error, run.finished_at = RunStatus.FAILED, f"{stage.name}: {line}"[:500], timezone.now()
    run.save(update_fields=["status", "error", "finished_at"])
    audit.record(
        actor=actor,
        verb="screening.run.failed",
        obj=run.asset_version,
        after={"run": run.pk, "stage": stage.name, "error": run.error},
    )


@transaction.atomic
def do_finish_run(*, actor: Any, run: ScreeningRun) -> ScreeningRun:
    locked = ScreeningRun.objects.select_for_update().select_related("asset_version").get(pk=run.pk)
    if locked.status == RunStatus.DONE:
        return locked
    locked.status, locked.finished_at = RunStatus.DONE, timezone.now()
    locked.save(update_fields=["status", "finished_at"])
    audit.record(
        actor=actor,
        verb="screening.run.done",
        obj=locked.asset_version,
        after={"run": locked.pk, "hits": locked.hits.count(), "attempts": locked.attempts},
    )
    return locked


@transaction.atomic
def do_itemise_hit(*, actor: Any, hit_id: int) -> int | None:
    """Turn one stored hit into review work (``do_upsert_item``) and mark it, in one transaction.

    Returns the item's id; None when the hit was already turned into work (a retried run).
    """
    from shinsa.review.actions import IncomingSignal, do_upsert_item

    hit = (
        ScreeningHit.objects.select_for_update()
        .select_related("run__asset_version__asset__title_version")
        .get(pk=hit_id)
    )
    if hit.review_item_id is not None:
        return None
    asset = hit.run.asset_version.asset
    item = do_upsert_item(
        actor=actor,
        title_version=asset.title_version,
        policy_area=hit.policy_area,
        severity=hit.severity,
        signal=IncomingSignal(
            source=f"screening:{hit.signal}",
            ref=f"av{hit.run.asset_version_id}:{hit.key}"[:200],
            confidence=float(hit.score),
        ),
        language=_language_of(hit, asset),
    )
    hit.review_item = item
    hit.save(update_fields=["review_item"])
    return item.pk


def _language_of(hit: ScreeningHit, asset: Any) -> str:
    """The language a reviewer must read: the subtitle or metadata asset's, or the embedded stream's."""
    if asset.kind in ("subtitle", "metadata"):
        return asset.language
    language = str((hit.detail or {}).get("language") or "")
    return language if len(language) == 2 else ""  # review routes by two-letter codes


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()
