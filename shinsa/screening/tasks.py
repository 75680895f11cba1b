"""Background screening (Django tasks, run by ``shinsa worker``)."""

from __future__ import annotations

from django.tasks import task

from shinsa.screening.stages import run_screening


@task(queue_name="media")
def screen_asset_version(asset_version_id: int) -> str:
    """Run or resume the screening of one asset version; safe to retry after a killed worker."""
    return str(run_screening(asset_version_id).status)
