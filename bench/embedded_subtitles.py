"""Benchmark: reading the text subtitle streams inside a video against decoding its video, same run.

    python bench/embedded_subtitles.py [--quick] [--runs N] [--json]

Generates (once, cached under var/bench/) an H.264 clip with our own encoder carrying a Japanese and an
English text subtitle stream (a cue every 2 s), as MP4 (mov_text) and as Matroska (SRT): 720p, 60 s
(``--quick``: 360p, 12 s). Then times, alternating, ``--runs`` times each per container:

- the baseline: PyAV decoding every frame of the video stream with FFmpeg's default threading;
- ``read_embedded_subtitles``: what the ``subtitle_streams`` stage reads (subtitle packets demuxed, the
  other streams discarded by the demuxer, nothing decoded).

Prints the medians, the ratio (subtitle reading / decoding: the smaller the better; it shows the
stage never decodes the video) and the CPU-time ratio, which swings less on a shared machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

import av

from shinsa.media.synthetic import ClipSpec, Cue, Scene, SubtitleStreamSpec, encode_clip
from shinsa.screening.subtitles.embedded import read_embedded_subtitles

ROOT = Path(__file__).resolve().parent.parent
FULL, QUICK = (1280, 720, 60), (640, 360, 12)


def clip_spec(width: int, height: int, seconds: int, *, mp4: bool) -> ClipSpec:
    rate = Fraction(24000, 1001)
    total, scenes = int(seconds * rate) + 1, 6
    lengths = [total // scenes + (1 if i < total % scenes else 0) for i in range(scenes)]
    cues = tuple(
        Cue(ms, ms + 1500, f"台詞その{ms // 2000}。") for ms in range(0, seconds * 1000 - 1500, 2000)
    )
    english = tuple(Cue(c.start_ms, c.end_ms, f"Line {n}.") for n, c in enumerate(cues))
    codec = "mov_text" if mp4 else "subrip"
    return ClipSpec(
        scenes=tuple(
            Scene(frames=n, hue=(0.13 + 0.37 * i) % 1.0, texture=i + 1) for i, n in enumerate(lengths)
        ),
        width=width,
        height=height,
        fps=rate,
        crf=23,
        subtitle_streams=(
            SubtitleStreamSpec(codec=codec, cues=cues, language="jpn"),
            SubtitleStreamSpec(codec=codec, cues=english, language="eng"),
        ),
    )


def cached_clip(size: tuple[int, int, int], suffix: str) -> Path:
    width, height, seconds = size
    folder = Path(os.environ.get("SHINSA_VAR_DIR", ROOT / "var")) / "bench"
    path = folder / f"embedded-subtitles-{width}x{height}-{seconds}s{suffix}"
    if not path.exists():
        partial = path.with_name("incoming-" + path.name)
        encode_clip(clip_spec(width, height, seconds, mp4=suffix == ".mp4"), partial)
        partial.replace(path)
    return path


def pyav_decode(path: Path) -> int:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        return sum(1 for _ in container.decode(stream))


def read_streams(path: Path) -> int:
    return sum(len(s.track.cues) for s in read_embedded_subtitles(path) if s.track is not None)


def timed(work, path: Path) -> tuple[float, float, int]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = work(path)
    return time.perf_counter() - wall, time.process_time() - cpu, result


def measure(path: Path, runs: int) -> dict[str, Any]:
    decode: list[tuple[float, float]] = []
    subtitles: list[tuple[float, float]] = []
    frames = cues = 0
    for _ in range(runs):
        wall, cpu, frames = timed(pyav_decode, path)
        decode.append((wall, cpu))
        wall, cpu, cues = timed(read_streams, path)
        subtitles.append((wall, cpu))
    decode_s = statistics.median(w for w, _ in decode)
    read_s = statistics.median(w for w, _ in subtitles)
    decode_cpu = statistics.median(c for _, c in decode)
    read_cpu = statistics.median(c for _, c in subtitles)
    return {
        "size_bytes": path.stat().st_size,
        "frames": frames,
        "cues": cues,
        "decode_median_s": round(decode_s, 4),
        "subtitles_median_s": round(read_s, 4),
        "ratio": round(read_s / decode_s, 5),
        "cpu_ratio": round(read_cpu / decode_cpu, 5) if decode_cpu else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    size = QUICK if args.quick else FULL
    figures = {
        "clip": {"width": size[0], "height": size[1], "seconds": size[2]},
        "runs": args.runs,
        "baseline": "PyAV decode of every video frame (default threads)",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "containers": {
            name: measure(cached_clip(size, suffix), args.runs)
            for name, suffix in (("mp4", ".mp4"), ("mkv", ".mkv"))
        },
    }
    if args.json:
        print(json.dumps(figures))
        return
    for name, row in figures["containers"].items():
        print(
            f"{name}: decode {row['decode_median_s']:.3f} s ({row['frames']} frames), "
            f"subtitle streams {row['subtitles_median_s']:.4f} s ({row['cues']} cues): "
            f"ratio {row['ratio']:.4f}, CPU ratio {row['cpu_ratio']}"
        )


if __name__ == "__main__":
    sys.exit(main())
