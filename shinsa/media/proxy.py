"""Review proxies made from the screening pass's decoded frames: a low-bitrate H.264/AAC MP4, a JPEG
poster and a JPEG thumbnail sprite sheet with its WebVTT index.

``ProxyWriter`` is a *sink* for ``shinsa.media.frames.VideoScan``: the scan hands it every decoded video
frame (and, when the file has audio, its audio frames or packets) of its one pass, so a file is decoded
once for screening and proxies together. The writer

- scales each kept frame to at most ``max_width`` x ``max_height`` (never up; even dimensions), drops
  frames above ``max_fps``, and encodes H.264 (libx264, VBV-capped at ``video_bit_rate``) with AAC audio
  (AAC-LC source audio within ``audio_bit_rate`` is copied as packets, not decoded and encoded again)
  into an MP4 whose index (moov) is at the front ("faststart"), so players start before the download
  ends;
- keeps the first frame at or after ``poster_at`` of the declared duration as the poster;
- keeps one small thumbnail per sprite interval (chosen so at most ``max_thumbs`` are kept: memory stays
  bounded), and at the end tiles them into one JPEG and writes a WebVTT file whose cues point into it
  with ``#xywh=x,y,w,h`` media fragments.

Pure: PyAV, numpy and Pillow, no Django. Any failure leaves no partial output (``abort``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import av.audio.frame
import av.video.frame
import numpy as np
from PIL import Image

from shinsa.lib.clock import clock
from shinsa.media.probe import normalised_rotation

PROXY_NAME, POSTER_NAME, SPRITE_NAME, VTT_NAME = "proxy.mp4", "poster.jpg", "sprite.jpg", "sprite.vtt"


@dataclass(frozen=True, kw_only=True)
class ProxyPlan:
    max_width: int = 960
    max_height: int = 540
    # VBV maximum rate and buffer (one second): a file of d seconds averages at most rate × (1 + 1/d) for
    # video, so with audio even a 5 s clip stays under 1.5 Mbit/s.
    video_bit_rate: int = 1_100_000
    # AAC-LC source audio at or under this rate is copied into the proxy as it is; other audio is
    # decoded and encoded at this rate (AAC encoding costs about a fifth of decoding 1080p video).
    audio_bit_rate: int = 96_000
    max_fps: Fraction = Fraction(30)
    # The cheapest preset (about half superfast's encoding time at 540p) with the two things it drops
    # that show at review bitrates put back: CABAC (~10 % fewer bits) and the deblocking filter (no
    # blocks). It spends more bits than superfast for the same CRF; the VBV cap holds either way.
    preset: str = "ultrafast"
    x264_params: str = "cabac=1:deblock=0,0"  # extra x264 settings, "key=value:key=value"
    poster_at: float = 0.1  # share of the declared duration
    thumb_width: int = 160
    sprite_columns: int = 10
    max_thumbs: int = 100
    min_thumb_every_ms: int = 1000
    sprite_url: str = "sprite"  # how the VTT names the sprite (relative to the VTT's own URL)


@dataclass(frozen=True)
class Output:
    path: Path
    media_type: str
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ProxyOutputs:
    """What was written; ``proxy`` is None for a file without video frames, ``poster`` always set."""

    proxy: Output | None
    poster: Output
    sprite: Output | None
    vtt: Output | None

    def items(self) -> list[tuple[str, Output]]:
        pairs = [("proxy", self.proxy), ("poster", self.poster), ("sprite", self.sprite)]
        pairs.append(("sprite.vtt", self.vtt))
        return [(kind, output) for kind, output in pairs if output is not None]

    def delete(self) -> None:
        """Remove the files (renditions that must not be kept: the media was quarantined)."""
        for _, output in self.items():
            output.path.unlink(missing_ok=True)


def even_size(width: int, height: int, max_width: int, max_height: int) -> tuple[int, int]:
    """The largest size within the bounds that keeps the aspect ratio, never upscaled, both sides even."""
    scale = min(1.0, max_width / width, max_height / height)
    return max(2, int(width * scale) // 2 * 2), max(2, int(height * scale) // 2 * 2)


def thumb_interval_ms(duration_ms: int, plan: ProxyPlan) -> int:
    """Whole seconds between thumbnails, so a video of ``duration_ms`` needs at most ``max_thumbs``."""
    if duration_ms <= 0:
        return max(plan.min_thumb_every_ms, 10_000)
    needed = math.ceil(duration_ms / plan.max_thumbs)
    return max(plan.min_thumb_every_ms, math.ceil(needed / 1000) * 1000)


def sprite_vtt(starts_ms: list[int], end_ms: int, *, size: tuple[int, int], columns: int, url: str) -> str:
    """The WebVTT index of a sprite: one cue per thumbnail, up to the next one (or the end)."""
    width, height = size
    lines = ["WEBVTT", ""]
    for index, start in enumerate(starts_ms):
        stop = starts_ms[index + 1] if index + 1 < len(starts_ms) else max(end_ms, start + 1)
        x, y = (index % columns) * width, (index // columns) * height
        lines += [f"{clock(start)} --> {clock(stop)}", f"{url}#xywh={x},{y},{width},{height}", ""]
    return "\n".join(lines)


def _upright(pixels: np.ndarray, rotation: int) -> np.ndarray:
    turns = normalised_rotation(rotation) // 90
    return np.ascontiguousarray(np.rot90(pixels, k=turns)) if turns else pixels


def write_jpeg(pixels: np.ndarray, path: Path, *, quality: int = 82) -> Output:
    image = Image.fromarray(pixels, "RGB")
    image.save(path, format="JPEG", quality=quality, optimize=True)
    return Output(path, "image/jpeg", {"width": image.width, "height": image.height})


class ProxyWriter:
    """Receives the frames of one decoding pass; ``finish()`` writes the sprite and closes the MP4."""

    def __init__(self, folder: Path, plan: ProxyPlan | None = None) -> None:
        self.folder = Path(folder)
        self.plan = plan or ProxyPlan()
        self.output: Any = None
        self.video: Any = None
        self.audio: Any = None
        self.size = (0, 0)
        self.thumb_size = (0, 0)
        self.rotation = 0
        self.duration_ms = 0
        self.poster_ms = 0
        self.poster: np.ndarray | None = None
        self.first: np.ndarray | None = None
        self.thumbs: list[tuple[int, np.ndarray]] = []
        self.thumb_every = 0
        self.next_thumb_ms = 0
        self.last_pts = -1
        self.min_step_ms = 0
        self.end_ms = 0
        self.frames_encoded = 0
        self.early_audio: list[av.audio.frame.AudioFrame | av.Packet] = []
        self.audio_copied = False
        self.audio_offset = 0  # the video's start, in the source audio's time base (copied packets)

    # --- the sink interface VideoScan calls ----------------------------------------------------

    def wants_audio(self) -> bool:
        return True

    def start(self, stream: Any, audio_stream: Any, duration_ms: int) -> None:
        plan = self.plan
        self.folder.mkdir(parents=True, exist_ok=True)
        width, height = stream.codec_context.width, stream.codec_context.height
        self.size = even_size(width, height, plan.max_width, plan.max_height)
        thumb_height = max(2, round(plan.thumb_width * height / width) // 2 * 2)
        self.thumb_size = (plan.thumb_width, thumb_height)
        self.duration_ms = duration_ms
        self.poster_ms = int(duration_ms * plan.poster_at)
        self.thumb_every = thumb_interval_ms(duration_ms, plan)
        self.min_step_ms = math.floor(1000 / plan.max_fps)
        self.output = av.open(
            str(self.folder / PROXY_NAME), "w", format="mp4", options={"movflags": "+faststart"}
        )
        rate = Fraction(stream.average_rate or stream.guessed_rate or 25)
        rate = min(rate, plan.max_fps)
        self.video = self.output.add_stream(
            "libx264",
            rate=rate,
            options={
                "preset": plan.preset,
                "maxrate": str(plan.video_bit_rate),
                "bufsize": str(plan.video_bit_rate),
                "crf": "26",
                **({"x264-params": plan.x264_params} if plan.x264_params else {}),
            },
        )
        self.video.width, self.video.height, self.video.pix_fmt = *self.size, "yuv420p"
        self.video.codec_context.time_base = Fraction(1, 1000)
        self.video.time_base = Fraction(1, 1000)
        if audio_stream is not None and self._copyable(audio_stream):
            self.audio = self.output.add_stream_from_template(audio_stream)
            self.audio_copied = True
            start = Fraction(stream.start_time or 0) * Fraction(stream.time_base)
            self.audio_offset = round(start / Fraction(audio_stream.time_base))
        elif audio_stream is not None and audio_stream.codec_context.sample_rate:
            channels = audio_stream.codec_context.channels or 1
            self.audio = self.output.add_stream(
                "aac", rate=48_000, layout="stereo" if channels >= 2 else "mono"
            )
            self.audio.bit_rate = plan.audio_bit_rate

    def video_frame(self, frame: av.video.frame.VideoFrame, pts_ms: int) -> None:
        if self.first is None:
            # The display rotation travels with the decoded frames (side data): known from the first.
            self.rotation = normalised_rotation(frame.rotation)
            if self.rotation:
                self.video.set_display_rotation(self.rotation)
        self.end_ms = max(self.end_ms, pts_ms)
        keep = self.last_pts < 0 or pts_ms - self.last_pts >= self.min_step_ms
        wants_poster = self.poster is None and pts_ms >= self.poster_ms
        wants_thumb = pts_ms >= self.next_thumb_ms and len(self.thumbs) < self.plan.max_thumbs
        if not (keep or wants_poster or wants_thumb or self.first is None):
            return
        small = frame.reformat(
            width=self.size[0], height=self.size[1], format="yuv420p", interpolation="AREA"
        )
        if self.first is None or wants_poster:
            rgb = _upright(small.to_ndarray(format="rgb24"), self.rotation)
            if self.first is None:
                self.first = rgb
            if wants_poster:
                self.poster = rgb
        if wants_thumb:
            width, height = self.thumb_size
            thumb = small.reformat(width=width, height=height, format="rgb24", interpolation="AREA")
            self.thumbs.append((pts_ms, _upright(thumb.to_ndarray(), self.rotation)))
            self.next_thumb_ms = (pts_ms // self.thumb_every + 1) * self.thumb_every
        if keep:
            small.pts, small.time_base = pts_ms, Fraction(1, 1000)
            self.output.mux(self.video.encode(small))
            self.last_pts = pts_ms
            self.frames_encoded += 1
            for early in self.early_audio:
                self._write_audio(early)
            self.early_audio.clear()

    def audio_frame(self, frame: av.audio.frame.AudioFrame) -> None:
        if self.audio is None:
            return
        frame.pts = None  # the encoder counts samples itself
        self._write_audio(frame)

    def audio_packets(self) -> bool:
        return self.audio_copied

    def audio_packet(self, packet: av.Packet) -> None:
        if self.audio is None or packet.pts is None:
            return
        # Times from the video's start, as the video frames are written.
        packet.pts -= self.audio_offset
        if packet.dts is not None:
            packet.dts -= self.audio_offset
        packet.stream = self.audio
        self._write_audio(packet)

    def _write_audio(self, audio: av.audio.frame.AudioFrame | av.Packet, *, early_ok: bool = True) -> None:
        if early_ok and self.frames_encoded == 0 and len(self.early_audio) < 1000:
            # Nothing is written before the first video frame has set the stream's display rotation.
            self.early_audio.append(audio)
        elif isinstance(audio, av.Packet):
            self.output.mux(audio)
        else:
            self.output.mux(self.audio.encode(audio))

    def _copyable(self, audio_stream: Any) -> bool:
        context = audio_stream.codec_context
        return (
            context.name == "aac"
            and context.profile == "LC"
            and bool(context.sample_rate)
            and 0 < (audio_stream.bit_rate or context.bit_rate or 0) <= self.plan.audio_bit_rate
        )

    # --- the end ----------------------------------------------------------------------------------

    def finish(self, end_ms: int | None = None) -> ProxyOutputs:
        """Flush the encoders, close the MP4 (faststart moves its index to the front), write the rest."""
        end_ms = max(end_ms or 0, self.end_ms)
        proxy = None
        if self.output is not None:
            self.output.mux(self.video.encode(None))
            if self.audio is not None:
                for early in self.early_audio:
                    self._write_audio(early, early_ok=False)
                if not self.audio_copied:
                    self.output.mux(self.audio.encode(None))
            self.output.close()
            self.output = None
            path = self.folder / PROXY_NAME
            seconds = max(end_ms, 1) / 1000
            proxy = Output(
                path,
                "video/mp4",
                {
                    "width": self.size[0],
                    "height": self.size[1],
                    "bit_rate": int(path.stat().st_size * 8 / seconds),
                    "frames": self.frames_encoded,
                },
            )
        picture = self.poster if self.poster is not None else self.first
        if picture is None:
            raise ValueError("no frame was decoded: nothing to make a poster from")
        poster = write_jpeg(picture, self.folder / POSTER_NAME)
        sprite = vtt = None
        if self.thumbs:
            sprite, vtt = self._sprite(end_ms)
        return ProxyOutputs(proxy=proxy, poster=poster, sprite=sprite, vtt=vtt)

    def _sprite(self, end_ms: int) -> tuple[Output, Output]:
        columns = min(self.plan.sprite_columns, len(self.thumbs))
        height, width = self.thumbs[0][1].shape[:2]
        rows = math.ceil(len(self.thumbs) / columns)
        sheet = np.zeros((rows * height, columns * width, 3), np.uint8)
        for index, (_, pixels) in enumerate(self.thumbs):
            y, x = (index // columns) * height, (index % columns) * width
            sheet[y : y + height, x : x + width] = pixels[:height, :width]
        sprite = write_jpeg(sheet, self.folder / SPRITE_NAME, quality=75)
        sprite.facts.update({"columns": columns, "rows": rows, "tile_width": width, "tile_height": height})
        text = sprite_vtt(
            [start for start, _ in self.thumbs],
            end_ms,
            size=(width, height),
            columns=columns,
            url=self.plan.sprite_url,
        )
        path = self.folder / VTT_NAME
        path.write_text(text, encoding="utf-8")
        return sprite, Output(path, "text/vtt", {"cues": len(self.thumbs)})

    def abort(self) -> None:
        """Close and delete whatever was written (after a failed pass)."""
        if self.output is not None:
            try:
                self.output.close()
            except (av.error.FFmpegError, OSError):
                pass
            self.output = None
        for name in (PROXY_NAME, POSTER_NAME, SPRITE_NAME, VTT_NAME):
            (self.folder / name).unlink(missing_ok=True)


def image_poster(rgb: np.ndarray, folder: Path, plan: ProxyPlan | None = None) -> Output:
    """A poster for a still image (artwork): the picture shrunk to the proxy bounds, as JPEG."""
    plan = plan or ProxyPlan()
    folder.mkdir(parents=True, exist_ok=True)
    height, width = rgb.shape[:2]
    size = even_size(width, height, plan.max_width, plan.max_height)
    image = Image.fromarray(rgb, "RGB")
    if size != (width, height):
        image = image.resize(size, Image.Resampling.LANCZOS)
    return write_jpeg(np.asarray(image), folder / POSTER_NAME)
