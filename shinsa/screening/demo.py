"""Screening for ``shinsa demo --no-serve``: the runs its ingest queued, here and now (no worker)."""

from __future__ import annotations

from shinsa.media.quiet import native_stderr_silenced
from shinsa.screening.models import RunStatus, ScreeningHit, ScreeningRun
from shinsa.screening.stages import run_screening


def screen_queued() -> tuple[int, int]:
    """Run every queued screening run; returns (runs finished, hits they found)."""
    queued = list(
        ScreeningRun.objects.filter(status=RunStatus.QUEUED)
        .order_by("pk")
        .values_list("asset_version_id", flat=True)
    )
    with native_stderr_silenced():
        runs = [run_screening(asset_version_id) for asset_version_id in queued]
    return len(runs), ScreeningHit.objects.filter(run__in=runs).count()
