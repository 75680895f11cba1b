"""A screening task that pauses once, mid-stage, so a test can SIGKILL the real worker running it.

Real worker processes import it through PYTHONPATH=<repo root> (see tests/jobs/processes.py).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.tasks import task

from shinsa.screening.stages import run_screening


@task(queue_name="media")
def screen_pausing_once(asset_version_id: int, stage: str, marker: str, pause_seconds: float) -> str:
    """Screen; on the first attempt, pause inside ``stage`` once it is under way (progress > 0)."""

    def listener(name: str, fraction: float) -> None:
        if name == stage and 0 < fraction < 1 and not Path(marker).exists():
            Path(marker).write_text(str(os.getpid()))
            time.sleep(pause_seconds)

    return str(run_screening(asset_version_id, listener=listener).status)
