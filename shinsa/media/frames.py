"""One decoding pass over a video: frames sampled by presentation time, and every scene cut.

``VideoScan(path, plan)`` decodes the main video stream once, front to back, without seeking, and yields
a ``SampledFrame`` for
- the first frame at or after each multiple of ``plan.sample_every_ms`` of presentation time (a gap in the
  timestamps that skips several multiples yields one frame, not several), and
- with ``plan.at_scene_cuts``, the first frame of every new scene (``shinsa.media.scenes``).

Times are measured from the stream's start. Frame indices count the decoder's output from 0, so they are
the stream's own frame numbers, never a configured rate. Each sampled frame carries an RGB array for
hashing, turned upright by the display rotation and, with ``plan.reduce_for_pdq``, shrunk by the
whole factor that PDQ's own filters absorb (``pdq_friendly_size``). Memory stays bounded whatever
the length of the file.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Protocol

import av
import av.video.frame
import numpy as np

from shinsa.media.container import decode_failure, open_container
from shinsa.media.errors import MediaError, MediaProblem
from shinsa.media.paths import check_regular_file
from shinsa.media.probe import (
    check_index_within_file,
    frame_rate_of,
    main_video_streams,
    normalised_rotation,
)
from shinsa.media.scenes import SceneCut, SceneCutDetector, frame_signature

# Pixel formats whose planes are 8-bit Y, U, V: read directly, without conversion.
_PLANAR_YUV = {"yuv420p", "yuvj420p", "yuv422p", "yuvj422p", "yuv444p", "yuvj444p", "yuv440p", "yuv411p"}


@dataclass(frozen=True, kw_only=True)
class SamplingPlan:
    sample_every_ms: int | None = 1000  # None: no sampling by time
    at_scene_cuts: bool = True
    reduce_for_pdq: bool = True  # False: RGB at the decoded size

    def __post_init__(self) -> None:
        if self.sample_every_ms is not None and self.sample_every_ms <= 0:
            raise ValueError("sample_every_ms must be positive")


@dataclass(frozen=True, kw_only=True, eq=False)
class SampledFrame:
    index: int  # the frame's number in the stream, from 0
    time: Fraction  # exact presentation time in seconds from the stream's start
    pts_ms: int  # the same, in whole milliseconds (rounded down)
    at_interval: bool  # sampled because of sample_every_ms
    scene_cut: SceneCut | None  # set when this frame starts a new scene
    rgb: np.ndarray  # (height, width, 3) uint8, upright


class FrameSink(Protocol):
    """Something else fed from the same pass (review proxies): every decoded frame, in order."""

    def wants_audio(self) -> bool: ...

    def start(self, stream: Any, audio_stream: Any, duration_ms: int) -> None: ...

    def video_frame(self, frame: av.video.frame.VideoFrame, pts_ms: int) -> None: ...

    def audio_frame(self, frame: Any) -> None: ...

    # Asked after ``start``: True to get the audio as packets (copied, not decoded) in ``audio_packet``.
    def audio_packets(self) -> bool: ...

    def audio_packet(self, packet: av.Packet) -> None: ...


class VideoScan:
    """Iterate once; then ``scene_cuts``, ``frames_decoded`` and ``end_ms`` describe the pass.

    With a ``sink``, every decoded video frame (and, when the sink wants audio, every decoded frame of
    the first audio stream, demuxed in the same pass) is handed to it as well, until ``sink`` is set
    to None (the pass goes on without it).
    """

    def __init__(
        self, path: Path | str, plan: SamplingPlan | None = None, *, sink: FrameSink | None = None
    ) -> None:
        self.path = Path(path)
        self.plan = plan or SamplingPlan()
        self.sink = sink
        self.detector = SceneCutDetector()
        self.frames_decoded = 0
        self.end_ms = 0  # end of the last decoded frame
        self.declared_ms = 0  # the duration the headers declare (0 when they do not), once started
        self.frame_rate = Fraction(0)

    @property
    def scene_cuts(self) -> list[SceneCut]:
        return self.detector.cuts

    def __iter__(self) -> Iterator[SampledFrame]:
        size = check_regular_file(self.path)
        with open_container(self.path) as container:
            streams = main_video_streams(container)
            if not streams:
                raise MediaError(self.path, MediaProblem.UNSUPPORTED, "no video stream")
            check_index_within_file(self.path, container, size)
            stream = streams[0]
            stream.thread_type = "AUTO"  # frame and slice threads, as the ffmpeg command line decodes
            self.frame_rate = frame_rate_of(stream)
            self.declared_ms = declared_duration_ms(container, stream)
            audio = None
            if self.sink is not None:
                if self.sink.wants_audio() and container.streams.audio:
                    audio = container.streams.audio[0]
                self.sink.start(stream, audio, self.declared_ms)
            packets = audio is not None and self.sink is not None and self.sink.audio_packets()
            yield from self._decode(container, stream, audio, packets)
            self._check_complete(container, stream)

    def _decode(
        self,
        container: av.container.InputContainer,
        stream: av.video.stream.VideoStream,
        audio: Any,
        audio_packets: bool = False,
    ) -> Iterator[SampledFrame]:
        time_base = Fraction(stream.time_base)
        start = stream.start_time or 0
        frame_pts = _FramePts(start, time_base, self.frame_rate)
        every, next_due_ms = self.plan.sample_every_ms, 0
        frames = (
            container.decode(stream)
            if audio is None
            else _demux_both(container, stream, audio, decode_audio=not audio_packets)
        )
        while True:
            sink = self.sink  # the caller may drop it mid-pass (media found to be illegal)
            try:
                frame = next(frames)
            except StopIteration:
                return
            except av.error.FFmpegError as error:
                raise decode_failure(self.path, error, self.end_ms if self.frames_decoded else None) from None
            if isinstance(frame, av.Packet):
                if sink is not None:
                    sink.audio_packet(frame)
                continue
            if not isinstance(frame, av.video.frame.VideoFrame):
                if sink is not None:
                    sink.audio_frame(frame)
                continue
            index, self.frames_decoded = self.frames_decoded, self.frames_decoded + 1
            pts = frame_pts.of(frame)
            time = (pts - start) * time_base
            pts_ms = int(time * 1000)
            self.end_ms = max(self.end_ms, int((time + frame_pts.duration(frame)) * 1000))
            if sink is not None:
                sink.video_frame(frame, pts_ms)
            cut = None
            if self.plan.at_scene_cuts:
                cut = self.detector.push(_signature(frame), index, pts_ms)
            at_interval = every is not None and time >= 0 and time * 1000 >= next_due_ms
            if at_interval:
                next_due_ms = (int(time * 1000) // every + 1) * every
            if at_interval or cut is not None:
                yield SampledFrame(
                    index=index,
                    time=time,
                    pts_ms=pts_ms,
                    at_interval=at_interval,
                    scene_cut=cut,
                    rgb=upright_rgb(frame, reduce_for_pdq=self.plan.reduce_for_pdq),
                )

    def _check_complete(
        self, container: av.container.InputContainer, stream: av.video.stream.VideoStream
    ) -> None:
        if self.frames_decoded == 0:
            raise MediaError(self.path, MediaProblem.CORRUPT, "the video stream holds no decodable frame")
        # Containers without an index that points past the end (Matroska without cues, MPEG-TS) only
        # show a cut-off file by ending early: compare with the duration their header declares.
        expected_ms = declared_duration_ms(container, stream)
        if expected_ms and self.end_ms < expected_ms - max(2000, expected_ms // 20):
            raise MediaError(
                self.path,
                MediaProblem.TRUNCATED,
                f"the video stops at {self.end_ms / 1000:.3f} s of a declared {expected_ms / 1000:.3f} s",
            )


def declared_duration_ms(container: av.container.InputContainer, stream: av.video.stream.VideoStream) -> int:
    """The video's duration as its headers declare it (0 when they do not)."""
    if stream.duration:
        return int(stream.duration * Fraction(stream.time_base) * 1000)
    return (container.duration or 0) // 1000


def _demux_both(
    container: av.container.InputContainer, video: Any, audio: Any, *, decode_audio: bool = True
) -> Iterator[Any]:
    """Video and audio frames in file order from one demuxing pass (audio packets as they are, without
    ``decode_audio``). A broken audio packet is dropped (proxies lose a moment of sound); a broken video
    packet raises, as in plain decoding."""
    for packet in container.demux(video, audio):
        if packet.stream.index == audio.index:
            if not decode_audio:
                if packet.size:  # not the demuxer's empty end-of-stream packet
                    yield packet
                continue
            try:
                yield from packet.decode()
            except av.error.FFmpegError:
                continue
        else:
            yield from packet.decode()


class _FramePts:
    """Presentation timestamps, filling in the rare frame that has none from the one before it."""

    def __init__(self, start: int, time_base: Fraction, frame_rate: Fraction) -> None:
        self.previous: int | None = None
        self.start = start
        self.step = round(1 / (frame_rate * time_base)) if frame_rate and time_base else 1

    def of(self, frame: av.video.frame.VideoFrame) -> int:
        pts = frame.pts
        if pts is None:
            pts = self.start if self.previous is None else self.previous + self.step
        self.previous = pts
        return pts

    def duration(self, frame: av.video.frame.VideoFrame) -> Fraction:
        ticks = frame.duration or self.step
        return ticks * Fraction(frame.time_base or 0) if frame.time_base else Fraction(0)


def pdq_friendly_size(width: int, height: int) -> tuple[int, int]:
    """The smallest size PDQ hashes (almost) as it hashes the full frame; the full size when none is.

    PDQ first blurs with box filters of ``(side + 127) // 128`` pixels (15 x 9 at 1080p) and samples 64 x
    64 points. Averaging k x k blocks first, where k divides both windows, leaves the same blur: 1080p
    and 720p frames are hashed at 640 x 360, within a few bits of the full-size hash and ~7 x faster.
    The longer side stays at least 640 so the remaining windows are not too coarse.
    """
    window_x, window_y = (width + 127) // 128, (height + 127) // 128
    common = math.gcd(window_x, window_y)
    for factor in range(common, 1, -1):
        small_w, small_h = width // factor, height // factor
        if (
            common % factor == 0
            and max(small_w, small_h) >= 640
            and (small_w + 127) // 128 == window_x // factor
            and (small_h + 127) // 128 == window_y // factor
        ):
            return small_w, small_h
    return width, height


def upright_rgb(frame: av.video.frame.VideoFrame, *, reduce_for_pdq: bool) -> np.ndarray:
    """The frame as an RGB array, reduced for PDQ (area filter) and turned by its display rotation."""
    width, height = (
        pdq_friendly_size(frame.width, frame.height) if reduce_for_pdq else (frame.width, frame.height)
    )
    if (width, height) != (frame.width, frame.height):
        pixels = frame.reformat(width=width, height=height, format="rgb24", interpolation="AREA").to_ndarray()
    else:
        pixels = frame.to_ndarray(format="rgb24")
    turns = normalised_rotation(frame.rotation) // 90
    return np.ascontiguousarray(np.rot90(pixels, k=turns)) if turns else pixels


def _plane(frame: av.video.frame.VideoFrame, index: int) -> np.ndarray:
    plane = frame.planes[index]
    return np.frombuffer(plane, np.uint8).reshape(plane.height, plane.line_size)[:, : plane.width]


def _signature(frame: av.video.frame.VideoFrame) -> np.ndarray:
    if frame.format.name not in _PLANAR_YUV:  # 10-bit, RGB, semi-planar...: convert a small copy
        frame = frame.reformat(width=128, height=72, format="yuv444p", interpolation="AREA")
    return frame_signature(_plane(frame, 0), _plane(frame, 1), _plane(frame, 2))
