"""Segment edges snapped to real frame times (pure, no Django).

``frame_times_ms`` lists the presentation time of every frame of a video in stream order, as the
probe reads it from the container (never from a configured frame rate), plus where the last frame
ends. A segment's start snaps down to the start of the frame showing at that instant; its end snaps
up to the next frame boundary, so the range covers every frame the labeler saw inside it.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from shinsa.media.container import open_container
from shinsa.media.errors import MediaError, MediaProblem
from shinsa.media.probe import main_video_streams


@dataclass(frozen=True, slots=True)
class FrameTimes:
    """Frame start times in ms (sorted, distinct, first at 0 or later) and the end of the last frame."""

    starts_ms: tuple[int, ...]
    end_ms: int

    def snap_start(self, ms: int) -> int:
        """The start of the frame on screen at ``ms`` (the first frame's start before it)."""
        if not self.starts_ms:
            return max(0, ms)
        position = bisect_right(self.starts_ms, ms) - 1
        return self.starts_ms[max(position, 0)]

    def snap_end(self, ms: int) -> int:
        """The first frame boundary at or after ``ms`` (the media's end past the last frame)."""
        if not self.starts_ms:
            return ms
        position = bisect_left(self.starts_ms, ms)
        return self.starts_ms[position] if position < len(self.starts_ms) else self.end_ms

    def snap_range(self, start_ms: int, end_ms: int) -> tuple[int, int]:
        """``(start, end)`` on frame boundaries; at least one frame long."""
        start = self.snap_start(start_ms)
        end = self.snap_end(max(end_ms, start + 1))
        return start, max(end, self.step(start, +1))

    def step(self, ms: int, frames: int) -> int:
        """The start of the frame ``frames`` away from the one showing at ``ms`` (clamped to the video)."""
        if not self.starts_ms:
            return ms
        here = max(bisect_right(self.starts_ms, ms) - 1, 0)
        target = here + frames
        if target >= len(self.starts_ms):
            return self.end_ms
        return self.starts_ms[max(target, 0)]


def frame_times_from_pts(
    pts: Sequence[int], time_base: Fraction, *, start_pts: int, last_duration: int
) -> FrameTimes:
    """Frame times from presentation timestamps in ``time_base`` units (B-frames arrive out of order)."""
    ordered = sorted(set(pts))
    starts = sorted({max(0, int((p - start_pts) * time_base * 1000)) for p in ordered})
    end = int((ordered[-1] + last_duration - start_pts) * time_base * 1000) if ordered else 0
    return FrameTimes(starts_ms=tuple(starts), end_ms=max(end, starts[-1] + 1 if starts else 0))


def frame_times_ms(path: Path | str) -> FrameTimes:
    """Every frame's presentation time of the main video stream, read from packets (no decoding)."""
    path = Path(path)
    with open_container(path) as container:
        streams = main_video_streams(container)
        if not streams:
            raise MediaError(path, MediaProblem.UNSUPPORTED, "no video stream")
        stream = streams[0]
        pts: list[int] = []
        last_pts, last_duration = None, 0
        for packet in container.demux(stream):
            if packet.pts is None or packet.size == 0:
                continue
            pts.append(packet.pts)
            if last_pts is None or packet.pts > last_pts:
                last_pts, last_duration = packet.pts, packet.duration or 0
        start = stream.start_time if stream.start_time is not None else (min(pts) if pts else 0)
        return frame_times_from_pts(
            pts, Fraction(stream.time_base), start_pts=start, last_duration=last_duration
        )
