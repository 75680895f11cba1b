"""Media time as people read it (pure): ``61500`` → ``00:01:01.500``."""

from __future__ import annotations


def clock(ms: int | None) -> str:
    """``HH:MM:SS.mmm`` for integer milliseconds (also WebVTT's timestamp form); empty for no time."""
    if ms is None:
        return ""
    hours, rest = divmod(int(ms), 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"
