"""Where an availability window stands on a given day (pure: no Django import)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum


class WindowState(StrEnum):
    UPCOMING = "upcoming"
    CURRENT = "current"
    ENDED = "ended"


def window_state(*, start: date, end: date | None, today: date) -> WindowState:
    """Windows are [start, end): the end day itself is no longer available; no end means open-ended."""
    if today < start:
        return WindowState.UPCOMING
    if end is not None and today >= end:
        return WindowState.ENDED
    return WindowState.CURRENT
