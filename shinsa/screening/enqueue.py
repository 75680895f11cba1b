"""Queue a screening run: its row (so pages show it as queued at once) and the worker task."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from shinsa.catalog.models import AssetVersion
from shinsa.screening.actions import do_queue_run
from shinsa.screening.models import ScreeningRun


def enqueue_screening(*, actor: Any, asset_version_id: int, rerun: bool = False) -> ScreeningRun:
    """Create (or, with ``rerun``, reset) the run and enqueue its task once the transaction commits."""
    from shinsa.screening.tasks import screen_asset_version

    version = AssetVersion.objects.get(pk=asset_version_id)
    run = do_queue_run(actor=actor, asset_version=version, rerun=rerun)
    transaction.on_commit(lambda: screen_asset_version.enqueue(asset_version_id))
    return run
