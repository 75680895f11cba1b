"""Clips made once per test session by our own encoder (shinsa.media.synthetic), and broken files."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from shinsa.media.synthetic import ClipSpec, EncodedClip, Scene, encode_clip

# About 4 s at 24000/1001 with two hard cuts, a caption and a Japanese-tagged audio track.
FILM = ClipSpec(
    scenes=(
        Scene(frames=40, hue=0.1, caption="One"),
        Scene(frames=25, hue=0.47, tone_hz=550),
        Scene(frames=31, hue=0.84, caption="Three", tone_hz=660),
    ),
    audio_language="jpn",
)
# About 10 s at 25 fps, five scenes of different lengths.
PAL = ClipSpec(
    scenes=tuple(
        Scene(frames=n, hue=h, caption=f"Shot {i}")
        for i, (n, h) in enumerate([(62, 0.05), (37, 0.55), (48, 0.2), (19, 0.72), (84, 0.38)])
    ),
    fps=Fraction(25),
    width=384,
    height=216,
)
# About 7 s at 30000/1001, wide scenes that only change hue a little between neighbours.
NTSC = ClipSpec(
    scenes=tuple(Scene(frames=n, hue=h) for n, h in [(45, 0.0), (70, 0.18), (33, 0.36), (62, 0.54)]),
    fps=Fraction(30000, 1001),
    width=256,
    height=144,
)


@pytest.fixture(scope="session")
def clips_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("clips")


@pytest.fixture(scope="session")
def film_clip(clips_dir) -> EncodedClip:
    return encode_clip(FILM, clips_dir / "film.mp4")


@pytest.fixture(scope="session")
def pal_clip(clips_dir) -> EncodedClip:
    return encode_clip(PAL, clips_dir / "pal.mp4")


@pytest.fixture(scope="session")
def ntsc_clip(clips_dir) -> EncodedClip:
    return encode_clip(NTSC, clips_dir / "ntsc.mp4")


@pytest.fixture(scope="session")
def rotated_clip(clips_dir) -> EncodedClip:
    """The film clip's pixels, with a display rotation of 90 degrees counter-clockwise."""
    return encode_clip(ClipSpec(scenes=FILM.scenes, rotation=90), clips_dir / "rotated.mp4")


def remux(source: Path, target: Path, *, format: str, options: dict[str, str] | None = None) -> Path:
    """Copy the streams of ``source`` into another container without re-encoding."""
    with (
        av.open(str(source)) as reader,
        av.open(str(target), "w", format=format, options=options or {}) as out,
    ):
        streams = {s.index: out.add_stream_from_template(s) for s in reader.streams}
        for packet in reader.demux():
            if packet.dts is not None:
                packet.stream = streams[packet.stream.index]
                out.mux(packet)
    return target


@pytest.fixture(scope="session")
def faststart_clip(film_clip, clips_dir) -> Path:
    """The film clip with its index (moov) before the media data, as streaming services deliver."""
    return remux(film_clip.path, clips_dir / "faststart.mp4", format="mp4", options={"movflags": "faststart"})


@pytest.fixture(scope="session")
def matroska_clip(film_clip, clips_dir) -> Path:
    return remux(film_clip.path, clips_dir / "film.mkv", format="matroska")


@pytest.fixture(scope="session")
def audio_only(clips_dir) -> Path:
    """An AAC-in-MP4 file with no video track."""
    path = clips_dir / "audio.m4a"
    with av.open(str(path), "w", format="mp4") as out:
        stream = out.add_stream("aac", rate=48_000, layout="mono")
        samples = (0.1 * np.sin(np.arange(48_000) / 10)).astype(np.float32)
        for offset in range(0, len(samples), 1024):
            frame = av.AudioFrame.from_ndarray(
                samples[None, offset : offset + 1024], format="flt", layout="mono"
            )
            frame.sample_rate, frame.pts, frame.time_base = 48_000, offset, Fraction(1, 48_000)
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    return path


def cut_to(source: Path, target: Path, fraction: float) -> Path:
    data = source.read_bytes()
    target.write_bytes(data[: int(len(data) * fraction)])
    return target


def damaged(source: Path, target: Path, *, at: float, length: int = 3000) -> Path:
    """``source`` with ``length`` bytes of noise written over it at ``at`` (a fraction of its size)."""
    data = bytearray(source.read_bytes())
    start = int(len(data) * at)
    for offset in range(start, min(len(data), start + length)):
        data[offset] = (offset * 7919 + 13) % 256
    target.write_bytes(bytes(data))
    return target
