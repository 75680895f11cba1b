"""What an audio/video file holds: container, streams, duration, exact frame rate, codecs, tracks.

``probe(path)`` reads the headers and decodes the first video frame (which tells the display rotation
and proves the codec can be decoded); a file that cannot be read raises ``MediaError`` with a
``MediaProblem``. It never decodes the whole file: use ``shinsa.media.frames`` for that.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import av.container
import av.stream

from shinsa.media.container import (
    bmff_is_cut_short,
    decode_failure,
    matroska_is_cut_short,
    open_container,
)
from shinsa.media.errors import MediaError, MediaProblem
from shinsa.media.paths import check_regular_file


@dataclass(frozen=True, kw_only=True)
class VideoTrack:
    index: int  # the stream's index in the container
    codec: str  # FFmpeg's decoder name: h264, hevc, vp9, av1, prores, ...
    width: int
    height: int
    frame_rate: Fraction  # exact: 24000/1001, never 23.976
    time_base: Fraction
    start_pts: int  # presentation time of the stream's start, in time_base units
    duration_ms: int | None
    frame_count: int  # as the container declares it; 0 when it does not say
    pixel_format: str | None
    rotation: int  # degrees counter-clockwise a player turns the picture: 0, 90, 180 or 270


@dataclass(frozen=True, kw_only=True)
class AudioTrack:
    index: int
    codec: str
    language: str | None  # as tagged (ISO 639-2, e.g. jpn, eng); None when untagged or "und"
    channels: int
    sample_rate: int
    duration_ms: int | None


# What a subtitle stream holds, from FFmpeg's codec properties: text (SRT, ASS, WebVTT, mov_text/tx3g)
# can be screened as words; bitmap subtitles (PGS, DVB, VobSub) are pictures of text.
TEXT, BITMAP, UNKNOWN = "text", "bitmap", "unknown"
# Names FFmpeg's own muxers give a stream when the file says nothing: not a title worth showing.
_DEFAULT_HANDLERS = {"subtitlehandler", "subtitle handler"}


@dataclass(frozen=True, kw_only=True)
class SubtitleTrack:
    index: int
    codec: str  # FFmpeg's decoder name: srt, ass, webvtt, mov_text, pgssub, dvbsub, dvdsub, ...
    language: str | None  # as tagged (ISO 639-2, e.g. jpn, eng); None when untagged or "und"
    title: str | None  # the stream's title, else its handler name (MP4)
    kind: str  # TEXT, BITMAP or UNKNOWN (no decoder for the codec here)


@dataclass(frozen=True, kw_only=True)
class MediaInfo:
    container: str  # FFmpeg's demuxer name, e.g. "mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm"
    size_bytes: int
    duration_ms: int | None
    bit_rate: int | None
    video_tracks: tuple[VideoTrack, ...]
    audio_tracks: tuple[AudioTrack, ...]
    subtitle_tracks: tuple[SubtitleTrack, ...]

    @property
    def video(self) -> VideoTrack | None:
        """The main video track (the first that is not cover art), or None for audio-only files."""
        return self.video_tracks[0] if self.video_tracks else None


def probe(path: Path | str) -> MediaInfo:
    """Describe the audio/video file at ``path``; ``MediaError`` when it is not readable media."""
    path = Path(path)
    size = check_regular_file(path)
    with open_container(path) as container:
        video_streams = main_video_streams(container)
        check_complete(path, container, size)
        rotation = first_frame_rotation(path, container, video_streams[0]) if video_streams else 0
        info = MediaInfo(
            container=container.format.name,
            size_bytes=size,
            duration_ms=_microseconds_to_ms(container.duration),
            bit_rate=container.bit_rate or None,
            video_tracks=tuple(
                _video_track(s, rotation if i == 0 else 0) for i, s in enumerate(video_streams)
            ),
            audio_tracks=tuple(_audio_track(s) for s in container.streams.audio),
            subtitle_tracks=subtitle_tracks_of(container),
        )
    if not info.video_tracks and not info.audio_tracks:
        raise MediaError(path, MediaProblem.UNSUPPORTED, "no audio or video stream")
    return info


def subtitle_tracks_of(container: av.container.InputContainer) -> tuple[SubtitleTrack, ...]:
    """The container's subtitle streams, text and bitmap alike, in container order."""
    tracks = []
    for stream in container.streams.subtitles:
        context = stream.codec_context
        kind = UNKNOWN
        if context is not None:
            properties = context.codec.properties
            if properties & av.codec.codec.Properties.TEXT_SUB.value:
                kind = TEXT
            elif properties & av.codec.codec.Properties.BITMAP_SUB.value:
                kind = BITMAP
        tracks.append(
            SubtitleTrack(
                index=stream.index,
                codec=context.name if context is not None else "unknown",
                language=_language(stream),
                title=_title(stream),
                kind=kind,
            )
        )
    return tuple(tracks)


def main_video_streams(container: av.container.InputContainer) -> list[av.video.stream.VideoStream]:
    """Video streams in container order, without attached pictures (cover art in audio files)."""
    return [
        stream
        for stream in container.streams.video
        if not stream.disposition & av.stream.Disposition.attached_pic
    ]


def frame_rate_of(stream: av.video.stream.VideoStream) -> Fraction:
    """The exact average frame rate; the stream's base rate when the container does not give one."""
    for rate in (stream.average_rate, stream.base_rate, stream.guessed_rate):
        if rate:
            return Fraction(rate)
    return Fraction(0)


def check_index_within_file(path: Path, container: av.container.InputContainer, size: int) -> None:
    """A container whose index (MP4 sample table, Matroska cues) points past the end was cut short."""
    for stream in container.streams:
        entries = stream.index_entries
        if entries is not None and len(entries) and entries[-1].pos + entries[-1].size > size:
            at_ms = _pts_to_ms(entries[-1].timestamp, stream)
            raise MediaError(
                path,
                MediaProblem.TRUNCATED,
                f"the index points past the end of the file at {at_ms / 1000:.3f} s in stream {stream.index}",
            )


def check_complete(path: Path, container: av.container.InputContainer, size: int) -> None:
    """``check_index_within_file``, and: an MP4 whose boxes run past the end (a cut inside a trailing
    ``moov`` can leave FFmpeg reading fewer streams without complaint) or a Matroska file shorter than
    its Segment says (FFmpeg reads one cut anywhere as if it ended there) was cut short too."""
    check_index_within_file(path, container, size)
    family = container.format.name
    if (family.startswith("mov,") and bmff_is_cut_short(path, size)) or (
        family.startswith("matroska") and matroska_is_cut_short(path, size)
    ):
        raise MediaError(path, MediaProblem.TRUNCATED, "the data stops before the end the container declares")


def first_frame_rotation(
    path: Path, container: av.container.InputContainer, stream: av.video.stream.VideoStream
) -> int:
    try:
        for frame in container.decode(stream):
            return normalised_rotation(frame.rotation)
    except av.error.FFmpegError as error:
        raise decode_failure(path, error, None) from None
    raise MediaError(path, MediaProblem.CORRUPT, "the video stream holds no decodable frame")


def normalised_rotation(degrees: float | int | None) -> int:
    """FFmpeg's counter-clockwise display rotation (-180..180, float) as 0, 90, 180 or 270."""
    return (round((degrees or 0) / 90) * 90) % 360


def _video_track(stream: av.video.stream.VideoStream, rotation: int) -> VideoTrack:
    context = stream.codec_context
    return VideoTrack(
        index=stream.index,
        codec=context.name,
        width=context.width,
        height=context.height,
        frame_rate=frame_rate_of(stream),
        time_base=Fraction(stream.time_base) if stream.time_base else Fraction(1, 1_000_000),
        start_pts=stream.start_time or 0,
        duration_ms=_pts_to_ms(stream.duration, stream) if stream.duration else None,
        frame_count=stream.frames,
        pixel_format=context.pix_fmt,
        rotation=rotation,
    )


def _audio_track(stream: av.audio.stream.AudioStream) -> AudioTrack:
    return AudioTrack(
        index=stream.index,
        codec=stream.codec_context.name,
        language=_language(stream),
        channels=stream.codec_context.channels,
        sample_rate=stream.codec_context.sample_rate,
        duration_ms=_pts_to_ms(stream.duration, stream) if stream.duration else None,
    )


def _language(stream: av.stream.Stream) -> str | None:
    language = (stream.language or stream.metadata.get("language") or "").strip()
    return None if language in {"", "und"} else language


def _title(stream: av.stream.Stream) -> str | None:
    tags = {key.lower(): value for key, value in stream.metadata.items()}
    for key in ("title", "name", "handler_name"):
        value = " ".join((tags.get(key) or "").split())
        if value and value.lower() not in _DEFAULT_HANDLERS:
            return value[:200]
    return None


def _pts_to_ms(pts: int, stream: av.stream.Stream) -> int:
    return int(pts * Fraction(stream.time_base) * 1000)


def _microseconds_to_ms(value: int | None) -> int | None:
    return None if value is None else value // 1000
