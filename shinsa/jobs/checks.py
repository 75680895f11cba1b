"""System checks for background work settings (run before every management command)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register


@register()
def check_heartbeat_settings(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    # A worker is declared dead after WORKER_STALE_SECONDS without a heartbeat; if that is not
    # comfortably longer than the heartbeat interval, live workers' tasks get run twice.
    every, stale = settings.WORKER_HEARTBEAT_SECONDS, settings.WORKER_STALE_SECONDS
    if stale < 2 * every:
        return [
            Error(
                f"SHINSA_WORKER_STALE_SECONDS ({stale}) must be at least twice "
                f"SHINSA_WORKER_HEARTBEAT_SECONDS ({every})",
                hint="Live workers would look dead and their tasks would run again.",
                id="shinsa.jobs.E001",
            )
        ]
    return []
