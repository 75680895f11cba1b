"""Screen one file with every enabled signal: what ``shinsa screen FILE --json`` prints.

The kind of file is found from its content: a still image (Pillow recognises it), else a subtitle file
(the subtitle reader parses it), else a video (decoded once with PyAV; every frame signal runs on the
frames sampled once a second and at scene cuts; its text subtitle streams go through the text
signals, each hit naming its ``stream``). A video's audio is not screened. Pure: no Django; messages
for people are made by the command.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shinsa.media.errors import MediaError, MediaProblem
from shinsa.media.images import load_still_image, still_image_format
from shinsa.media.paths import check_regular_file
from shinsa.screening.signals.base import (
    FileInput,
    ImageInput,
    InputKind,
    Signal,
    SignalContext,
    SignalHit,
    SignalInput,
    SubtitleInput,
    VideoFrameInput,
)
from shinsa.screening.signals.merge import hit_order, merge_frame_hits
from shinsa.screening.signals.registry import SIGNALS
from shinsa.screening.subtitles import MAX_SUBTITLE_BYTES, Reason, SubtitleError, read_subtitle_file

if TYPE_CHECKING:
    from shinsa.media.frames import SampledFrame

SAMPLE_EVERY_MS = 1000
# Subtitle reader verdicts that mean "not text at all": the file may still be a video.
_NOT_TEXT = {Reason.BINARY, Reason.ENCODING_UNKNOWN, Reason.TRUNCATED_CHARACTER}


class UnknownFileKind(Exception):
    """Neither a still image, nor a subtitle file, nor a video."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{path}: not a video, image or subtitle file")


@dataclass(frozen=True, kw_only=True)
class ScreenResult:
    file: str
    kind: InputKind  # image, video or subtitle
    duration_s: float | None
    skipped: tuple[str, ...]
    hits: tuple[SignalHit, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "duration_s": self.duration_s,
            "skipped": list(self.skipped),
            "hits": [hit.as_json() for hit in self.hits],
        }


def screen_file(
    path: Path | str, context: SignalContext, *, signals: Mapping[str, Signal] = SIGNALS
) -> ScreenResult:
    """Run the enabled signals on the file at ``path``.

    Raises ``MediaError`` (an image or video that cannot be read), ``SubtitleError`` (a subtitle file
    that cannot be parsed) or ``UnknownFileKind``.
    """
    path = Path(path)
    size = check_regular_file(path)
    enabled = [signal for name, signal in signals.items() if context.settings.is_enabled(name)]
    if still_image_format(path) is not None:
        image = ImageInput(rgb=load_still_image(path).rgb)
        kinds = {InputKind.FILE, InputKind.IMAGE}
        runnable, skipped = _runnable(enabled, kinds)
        hits = _run_all(runnable, [FileInput(path=path), image], context)
        return _result(path, InputKind.IMAGE, None, skipped, hits)

    not_text = size > MAX_SUBTITLE_BYTES
    if not not_text:
        try:
            track = read_subtitle_file(path)
        except SubtitleError as error:
            if error.reason is Reason.FORMAT_UNKNOWN:
                raise UnknownFileKind(path) from None
            if error.reason not in _NOT_TEXT:
                raise
            not_text = True
        else:
            runnable, skipped = _runnable(enabled, {InputKind.FILE, InputKind.SUBTITLE})
            hits = _run_all(runnable, [FileInput(path=path), SubtitleInput(track=track)], context)
            return _result(path, InputKind.SUBTITLE, None, skipped, hits)

    runnable, skipped = _runnable(enabled, {InputKind.FILE, InputKind.VIDEO})
    try:
        frames, end_ms = _video_frames(path)
        hits = _run_all(runnable, _with_file(path, frames), context)
        if context.settings.is_enabled("text_lexicon"):
            from shinsa.screening.streams import screen_subtitle_streams

            hits += screen_subtitle_streams(path, context, signals=signals).hits
    except MediaError as error:
        if error.kind is MediaProblem.NOT_MEDIA:
            raise UnknownFileKind(path) from None
        raise
    return _result(path, InputKind.VIDEO, round(end_ms[0] / 1000, 3), skipped, hits)


def _runnable(enabled: list[Signal], kinds: set[InputKind]) -> tuple[list[Signal], tuple[str, ...]]:
    """The signals that take one of ``kinds`` and can run; the names of those that cannot."""
    wanted = [signal for signal in enabled if signal.accepts & kinds]
    skipped = tuple(signal.name for signal in wanted if signal.unavailable() is not None)
    return [signal for signal in wanted if signal.name not in skipped], skipped


def _run_all(signals: list[Signal], inputs: Iterable[SignalInput], context: SignalContext) -> list[SignalHit]:
    hits: list[SignalHit] = []
    frame_hits: list[SignalHit] = []
    for item in inputs:
        found = frame_hits if item.kind is InputKind.VIDEO else hits
        for signal in signals:
            if item.kind in signal.accepts:
                found.extend(signal.run(item, context))
    return hits + merge_frame_hits(frame_hits)


def _with_file(path: Path, frames: Iterator[VideoFrameInput]) -> Iterator[SignalInput]:
    yield FileInput(path=path)
    yield from frames


def _video_frames(path: Path) -> tuple[Iterator[VideoFrameInput], list[int]]:
    """The sampled frames, each spanning to the next one, and (filled once iterated) the video's end."""
    try:
        from shinsa.media.frames import SamplingPlan, VideoScan
    except ModuleNotFoundError as error:
        if error.name != "av":
            raise
        raise MediaError(
            path, MediaProblem.UNSUPPORTED, "decoding video needs PyAV (the media extra)"
        ) from None
    scan = VideoScan(path, SamplingPlan(sample_every_ms=SAMPLE_EVERY_MS, at_scene_cuts=True))
    end_ms = [0]

    def frames() -> Iterator[VideoFrameInput]:
        pending = None
        for frame in scan:
            if pending is not None:
                yield _frame_input(pending, frame.pts_ms)
            pending = frame
        end_ms[0] = scan.end_ms
        if pending is not None:
            yield _frame_input(pending, max(scan.end_ms, pending.pts_ms))

    return frames(), end_ms


def _frame_input(frame: SampledFrame, end_ms: int) -> VideoFrameInput:
    return VideoFrameInput(index=frame.index, start_ms=frame.pts_ms, end_ms=end_ms, rgb=frame.rgb)


def _result(
    path: Path, kind: InputKind, duration_s: float | None, skipped: tuple[str, ...], hits: list[SignalHit]
) -> ScreenResult:
    return ScreenResult(
        file=str(path),
        kind=kind,
        duration_s=duration_s,
        skipped=skipped,
        hits=tuple(sorted(hits, key=hit_order)),
    )
