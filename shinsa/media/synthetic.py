"""Synthetic media made by our own code: short H.264/AAC clips with known scene cuts, posters, subtitles
(as files, or as text subtitle streams inside the clip: mov_text in MP4, SRT/ASS/WebVTT in Matroska).

Used by the demo data and by tests that need real media without shipping any. Pure: PyAV, numpy and
Pillow, no Django. The same spec gives the same bytes on the same library versions (bit-exact muxing,
no timestamps, no randomness), so regenerating the demo changes nothing.
"""

from __future__ import annotations

import colorsys
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFont

AUDIO_RATE = 48_000
FILM_RATE = Fraction(24000, 1001)


@dataclass(frozen=True, kw_only=True)
class Scene:
    """A run of frames with one look; the first frame of every scene but the first is a hard cut."""

    frames: int
    hue: float  # 0..1; neighbouring scenes should differ a lot so the cut is unmistakable
    caption: str = ""  # Latin text only: Pillow's bundled font has no Japanese glyphs
    tone_hz: float = 440.0
    texture: int | None = None  # seed of a photo-like pattern over the gradient (None: smooth gradient)


@dataclass(frozen=True)
class Cue:
    start_ms: int
    end_ms: int
    text: str


@dataclass(frozen=True, kw_only=True)
class SubtitleStreamSpec:
    """A text subtitle stream to mux into a clip, its cue payloads written as the container stores them."""

    codec: str  # mov_text (MP4 only), subrip, ass or webvtt (Matroska); hdmv_pgs_subtitle with raw_payloads
    cues: tuple[Cue, ...]
    language: str | None = None  # ISO 639-2, e.g. "jpn"
    title: str | None = None
    encoding: str = "utf-8"  # of the cue bytes: Matroska SRT/ASS stored as CP932 by a legacy tool
    raw_payloads: tuple[bytes, ...] = ()  # extra packets as given (hostile tests), after the cues


@dataclass(frozen=True, kw_only=True)
class ClipSpec:
    scenes: tuple[Scene, ...]
    width: int = 320
    height: int = 180
    fps: Fraction = FILM_RATE
    crf: int = 30
    rotation: int = 0  # display rotation (counter-clockwise degrees) written as metadata; pixels unchanged
    audio_language: str | None = None  # ISO 639-2 tag for the audio track, e.g. "jpn"
    subtitle_streams: tuple[SubtitleStreamSpec, ...] = ()  # muxed after the audio, in this order

    @property
    def frame_count(self) -> int:
        return sum(scene.frames for scene in self.scenes)

    @property
    def cut_frames(self) -> tuple[int, ...]:
        """Index of the first frame of every scene after the first."""
        starts, at = [], 0
        for scene in self.scenes[:-1]:
            at += scene.frames
            starts.append(at)
        return tuple(starts)


@dataclass(frozen=True)
class EncodedClip:
    path: Path
    frame_count: int
    fps: Fraction
    duration_ms: int
    cut_frames: tuple[int, ...]
    cut_times_ms: tuple[int, ...]


def frame_time_ms(index: int, fps: Fraction) -> int:
    """Start time of frame ``index`` in whole milliseconds (rounded down, as players display it)."""
    return int(index * 1000 / fps)


def _rgb(hue: float, value: float, saturation: float = 0.65) -> np.ndarray:
    return np.array(colorsys.hsv_to_rgb(hue % 1.0, saturation, value), dtype=np.float32) * 255


def _pattern(seed: int, height: int, width: int) -> np.ndarray:
    """A deterministic multi-scale pattern in 0..1, (height, width), float32."""
    rng = np.random.default_rng(seed)
    total = np.zeros((height, width), np.float32)
    for cells in (3, 6, 12, 24):
        coarse = Image.fromarray((rng.random((cells, cells)) * 255).astype(np.uint8), "L")
        total += np.asarray(coarse.resize((width, height), Image.Resampling.BICUBIC), np.float32) / cells**0.5
    return (total - total.min()) / max(1e-6, float(total.max() - total.min()))


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


class _SceneRenderer:
    """Draws the frames of one scene: a diagonal gradient, a drifting disc and bar, a caption."""

    def __init__(self, scene: Scene, index: int, width: int, height: int) -> None:
        self.scene, self.width, self.height = scene, width, height
        ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
        self.xs, self.ys = xs, ys
        mix = ((xs / width + ys / height) / 2)[..., None]
        # Alternate bright and dark scenes as well as hues, so every cut changes most pixels.
        value = 0.9 if index % 2 == 0 else 0.45
        start, end = _rgb(scene.hue, value), _rgb(scene.hue + 0.12, value * 0.7)
        self.background = start * (1 - mix) + end * mix
        if scene.texture is not None:
            # Detail at several scales, as in a photograph: perceptual hashes of smooth gradients are
            # unstable (PDQ quality near 50), so clips meant for hash matching carry a texture.
            self.background *= 0.6 + 0.8 * _pattern(scene.texture, height, width)[..., None]
        self.disc_colour = _rgb(scene.hue + 0.5, 1.0, 0.8)
        self.bar_colour = _rgb(scene.hue + 0.33, 0.2 if index % 2 == 0 else 0.95, 0.3)
        self.caption = self._caption_mask(scene.caption) if scene.caption else None

    def _caption_mask(self, text: str) -> np.ndarray:
        image = Image.new("L", (self.width, self.height), 0)
        draw = ImageDraw.Draw(image)
        draw.text((8, self.height - 26), text, fill=255, font=_font(max(10, self.height // 12)))
        return (np.asarray(image, dtype=np.float32) / 255)[..., None]

    def frame(self, t: int) -> np.ndarray:
        w, h = self.width, self.height
        pixels = self.background.copy()
        # Small steady motion inside a scene: a few pixels per frame, never a cut-sized change.
        cx = w * 0.2 + (t * 2.0) % (w * 0.6)
        cy = h * 0.45 + h * 0.15 * np.sin(t / 9.0)
        radius = h * 0.16
        disc = (self.xs - cx) ** 2 + (self.ys - cy) ** 2 <= radius**2
        pixels[disc] = self.disc_colour
        bar_y = int(h * 0.12 + (t * 1.5) % (h * 0.5))
        pixels[bar_y : bar_y + max(4, h // 30), w // 10 : w - w // 10] = self.bar_colour
        if self.caption is not None:
            pixels = pixels * (1 - self.caption) + 255 * self.caption
        return np.clip(pixels + 0.5, 0, 255).astype(np.uint8)


def render_frames(spec: ClipSpec) -> Iterator[np.ndarray]:
    """Every frame of the clip as an RGB array (height, width, 3), in order."""
    for index, scene in enumerate(spec.scenes):
        renderer = _SceneRenderer(scene, index, spec.width, spec.height)
        for t in range(scene.frames):
            yield renderer.frame(t)


def _tone(spec: ClipSpec) -> np.ndarray:
    """A sine tone per scene (the pitch changes at each cut), as float32 samples at AUDIO_RATE."""
    pieces, start_frame = [], 0
    for scene in spec.scenes:
        first = round(start_frame * AUDIO_RATE / spec.fps)
        start_frame += scene.frames
        last = round(start_frame * AUDIO_RATE / spec.fps)
        n = np.arange(first, last, dtype=np.float64)
        pieces.append(0.2 * np.sin(2 * np.pi * scene.tone_hz * n / AUDIO_RATE))
    return np.concatenate(pieces).astype(np.float32)


def encode_clip(spec: ClipSpec, path: Path) -> EncodedClip:
    """Encode ``spec`` to an MP4 (H.264 yuv420p + AAC mono) at ``path`` and describe what was written;
    Matroska when ``path`` ends in ``.mkv``."""
    import av  # the optional "media" extra: imported here so the module loads without it

    path.parent.mkdir(parents=True, exist_ok=True)
    container_format = "matroska" if path.suffix.lower() == ".mkv" else "mp4"
    with av.open(str(path), "w", format=container_format) as container:
        container.flags |= av.container.Flags.bitexact.value
        video = container.add_stream(
            "libx264", rate=spec.fps, options={"crf": str(spec.crf), "preset": "veryfast", "threads": "1"}
        )
        video.width, video.height, video.pix_fmt = spec.width, spec.height, "yuv420p"
        video.codec_context.flags |= av.codec.context.Flags.bitexact
        if spec.rotation:
            video.set_display_rotation(spec.rotation)
        audio = container.add_stream("aac", rate=AUDIO_RATE, layout="mono")
        if spec.audio_language:
            audio.metadata["language"] = spec.audio_language
        audio.codec_context.flags |= av.codec.context.Flags.bitexact
        # Every stream exists before the first packet is muxed (that writes the container's header).
        subtitles = [(_add_subtitle_stream(container, s), s) for s in spec.subtitle_streams]

        for index, pixels in enumerate(render_frames(spec)):
            frame = av.VideoFrame.from_ndarray(pixels, format="rgb24")
            frame.pts, frame.time_base = index, 1 / spec.fps
            container.mux(video.encode(frame.reformat(format="yuv420p")))
        container.mux(video.encode(None))

        samples, chunk = _tone(spec), 1024
        for offset in range(0, len(samples), chunk):
            piece = samples[None, offset : offset + chunk]
            frame = av.AudioFrame.from_ndarray(piece, format="flt", layout="mono")
            frame.sample_rate, frame.pts, frame.time_base = AUDIO_RATE, offset, Fraction(1, AUDIO_RATE)
            container.mux(audio.encode(frame))
        container.mux(audio.encode(None))
        for stream, stream_spec in subtitles:
            _mux_subtitle_packets(container, stream, stream_spec)

    return EncodedClip(
        path=path,
        frame_count=spec.frame_count,
        fps=spec.fps,
        duration_ms=frame_time_ms(spec.frame_count, spec.fps),
        cut_frames=spec.cut_frames,
        cut_times_ms=tuple(frame_time_ms(i, spec.fps) for i in spec.cut_frames),
    )


def _add_subtitle_stream(container: Any, spec: SubtitleStreamSpec) -> Any:
    """A text subtitle stream, added through its encoder so FFmpeg writes the codec's header (the tx3g
    sample entry, the ASS script header as Matroska CodecPrivate); its packets are ours, not encoded."""
    import av

    try:
        av.Codec(spec.codec, "w")
    except av.codec.codec.UnknownCodecError:  # a bitmap codec FFmpeg only decodes (PGS): mux as is
        stream = container.add_mux_stream(spec.codec)
    else:
        stream = container.add_stream(spec.codec)
        stream.codec_context.subtitle_header = _ass_header("embedded").encode()
    if spec.language:
        stream.metadata["language"] = spec.language
    if spec.title:
        stream.metadata["title"] = spec.title
    return stream


def _mux_subtitle_packets(container: Any, stream: Any, spec: SubtitleStreamSpec) -> None:
    """Each cue as one packet, its payload the bytes a delivery tool writes for the codec."""
    import av

    timed = [(c.start_ms, c.end_ms, _subtitle_payload(spec, n, c)) for n, c in enumerate(spec.cues)]
    last = spec.cues[-1].end_ms if spec.cues else 0
    timed += [(last + 100 * n, last + 100 * n + 50, raw) for n, raw in enumerate(spec.raw_payloads, 1)]
    for start_ms, end_ms, payload in timed:
        packet = av.Packet(payload)
        packet.stream, packet.time_base = stream, Fraction(1, 1000)
        packet.pts = packet.dts = start_ms
        packet.duration = end_ms - start_ms
        container.mux(packet)


def _subtitle_payload(spec: SubtitleStreamSpec, number: int, cue: Cue) -> bytes:
    if spec.codec == "mov_text":  # 3GPP timed text: a 16-bit big-endian length, then the text
        text = cue.text.encode(spec.encoding)
        return len(text).to_bytes(2, "big") + text
    if (
        spec.codec == "ass"
    ):  # Matroska's ASS block: ReadOrder,Layer,Style,Name,MarginL,MarginR,MarginV,Effect,Text
        return f"{number},0,Default,,0,0,0,,{_ass_text(cue.text)}".encode(spec.encoding)
    return cue.text.encode(spec.encoding)


def draw_poster(path: Path, *, title: str, hue: float, size: tuple[int, int] = (240, 360)) -> Path:
    """A poster: gradient, a few shapes and the (Latin) title. PNG or JPEG after ``path``'s suffix."""
    width, height = size
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    mix = (ys / height)[..., None]
    pixels = _rgb(hue, 0.85) * (1 - mix) + _rgb(hue + 0.15, 0.25) * mix
    image = Image.fromarray(np.clip(pixels + 0.5, 0, 255).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(image)
    accent = tuple(int(c) for c in _rgb(hue + 0.5, 1.0, 0.8))
    draw.ellipse((width * 0.2, height * 0.18, width * 0.8, height * 0.18 + width * 0.6), fill=accent)
    draw.rectangle((0, height * 0.72, width, height * 0.74), fill=(250, 250, 250))
    y = height * 0.77
    for line in _wrap(title, 18):
        draw.text((12, y), line, fill=(255, 255, 255), font=_font(20))
        y += 24
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() in {".jpg", ".jpeg"}:
        image.save(path, format="JPEG", quality=85)
    else:
        image.save(path, format="PNG", optimize=True)
    return path


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def _clock(ms: int, separator: str) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"


def format_srt(cues: list[Cue]) -> str:
    blocks = [
        f"{n}\n{_clock(c.start_ms, ',')} --> {_clock(c.end_ms, ',')}\n{c.text}\n"
        for n, c in enumerate(cues, 1)
    ]
    return "\n".join(blocks)


def format_webvtt(cues: list[Cue]) -> str:
    blocks = [f"{_clock(c.start_ms, '.')} --> {_clock(c.end_ms, '.')}\n{c.text}\n" for c in cues]
    return "WEBVTT\n\n" + "\n".join(blocks)


def _ass_text(text: str) -> str:
    return text.replace("\n", "\\N")  # ASS writes a line break inside a cue as \\N


def _ass_header(title: str) -> str:
    return (
        f"[Script Info]\nTitle: {title}\nScriptType: v4.00+\nPlayResX: 640\nPlayResY: 360\n\n"
        "[V4+ Styles]\nFormat: Name, Fontname, Fontsize, PrimaryColour, Alignment\n"
        "Style: Default,Noto Sans CJK JP,28,&H00FFFFFF,2\n\n"
        "[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
    )


def format_ass(cues: list[Cue], *, title: str) -> str:
    def centis(ms: int) -> str:  # ASS counts centiseconds: H:MM:SS.cc
        hours, rest = divmod(ms // 10, 360_000)
        minutes, rest = divmod(rest, 6000)
        return f"{hours}:{minutes:02d}:{rest // 100:02d}.{rest % 100:02d}"

    events = "".join(
        f"Dialogue: 0,{centis(c.start_ms)},{centis(c.end_ms)},Default,,0,0,0,,{_ass_text(c.text)}\n"
        for c in cues
    )
    return _ass_header(title) + events


def write_text(path: Path, text: str, *, encoding: str, crlf: bool = False) -> Path:
    """Write ``text`` byte-exactly in ``encoding`` (strict: a character it cannot hold is an error)."""
    if crlf:
        text = text.replace("\n", "\r\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding, errors="strict"))
    return path
