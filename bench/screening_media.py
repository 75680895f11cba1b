"""Benchmark: the media part of screening against plain decoding of the same file, in the same run.

    python bench/screening_media.py [--quick] [--json]

Generates (once, cached under var/bench/) a 1080p H.264 clip of 60 s with our own encoder (``--quick``:
360p, 12 s), then times, alternating, `--runs` times each:

- the baseline: plain decoding of the video stream. With an ``ffmpeg`` binary on PATH that is
  ``ffmpeg -i CLIP -map 0:v:0 -f null -`` (default threads); without one (a fresh machine set up by the
  README's two commands has none) it is PyAV decoding every frame with FFmpeg's default threading
  (frame + slice threads, as the ffmpeg command line uses), converting nothing;
- the screening pass: probe, one decode with sampling at 1 frame/s and scene-cut detection, PDQ of every
  sampled frame, and MD5 + SHA-256 of the file.

Prints the medians, their ratio (screening / baseline) and the screening speed as a multiple of real time.
Also the CPU time of each (all threads; for the ffmpeg binary, the child's): on a shared machine the
wall-clock figures swing with other work, the CPU-time ratio much less.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av

from shinsa.media.frames import SamplingPlan, VideoScan
from shinsa.media.probe import probe
from shinsa.media.synthetic import ClipSpec, EncodedClip, Scene, encode_clip
from shinsa.screening.hashing.digests import file_digests
from shinsa.screening.hashing.pdq import pdq_of_rgb

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Size:
    width: int
    height: int
    seconds: int
    scenes: int


FULL, QUICK = Size(1920, 1080, 60, 12), Size(640, 360, 12, 6)


def clip_spec(size: Size) -> ClipSpec:
    rate = Fraction(24000, 1001)
    total = int(size.seconds * rate) + 1
    lengths = [total // size.scenes + (1 if i < total % size.scenes else 0) for i in range(size.scenes)]
    scenes = tuple(
        Scene(frames=n, hue=(0.13 + 0.37 * i) % 1.0, caption=f"Scene {i + 1}", texture=i + 1)
        for i, n in enumerate(lengths)
    )
    return ClipSpec(scenes=scenes, width=size.width, height=size.height, fps=rate, crf=23)


def cached_clip(size: Size) -> EncodedClip:
    """Encode the clip once; later runs reuse the file (the spec is in its name)."""
    spec = clip_spec(size)
    folder = Path(os.environ.get("SHINSA_VAR_DIR", ROOT / "var")) / "bench"
    path = folder / f"screening-{size.width}x{size.height}-{size.seconds}s-{size.scenes}.mp4"
    if path.exists():
        return EncodedClip(
            path=path,
            frame_count=spec.frame_count,
            fps=spec.fps,
            duration_ms=int(spec.frame_count * 1000 / spec.fps),
            cut_frames=spec.cut_frames,
            cut_times_ms=tuple(int(i * 1000 / spec.fps) for i in spec.cut_frames),
        )
    print(f"generating {path.name} (once) ...", file=sys.stderr)
    partial = path.with_suffix(".partial.mp4")
    clip = encode_clip(spec, partial)
    partial.replace(path)
    return EncodedClip(path, clip.frame_count, clip.fps, clip.duration_ms, clip.cut_frames, clip.cut_times_ms)


def ffmpeg_decode(path: Path) -> None:
    subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-i", str(path), "-map", "0:v:0", "-f", "null", "-"],
        check=True,
        stdin=subprocess.DEVNULL,
    )


def pyav_decode(path: Path) -> None:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        for _ in container.decode(stream):
            pass


def cpu_seconds() -> float:
    """CPU time of this process's threads and of the children it has waited for."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def timed(work, path: Path) -> tuple[float, float, Any]:
    wall, cpu = time.perf_counter(), cpu_seconds()
    result = work(path)
    return time.perf_counter() - wall, cpu_seconds() - cpu, result


def screening_pass(path: Path) -> dict[str, Any]:
    started = time.perf_counter()
    probe(path)
    probed = time.perf_counter()
    scan = VideoScan(path, SamplingPlan(sample_every_ms=1000, at_scene_cuts=True))
    hashed = [pdq_of_rgb(frame.rgb) for frame in scan]
    scanned = time.perf_counter()
    file_digests(path)
    finished = time.perf_counter()
    return {
        "seconds": finished - started,
        "probe_s": probed - started,
        "decode_sample_cuts_pdq_s": scanned - probed,
        "md5_sha256_s": finished - scanned,
        "frames_decoded": scan.frames_decoded,
        "frames_hashed": len(hashed),
        "scene_cuts": [cut.frame_index for cut in scan.scene_cuts],
    }


def run(size: Size, runs: int) -> dict[str, Any]:
    clip = cached_clip(size)
    use_cli = shutil.which("ffmpeg") is not None
    baseline = ffmpeg_decode if use_cli else pyav_decode
    baseline(clip.path)  # warm the page cache and the libraries before timing anything
    baseline_times, baseline_cpu, passes, passes_cpu = [], [], [], []
    for _ in range(runs):
        wall, cpu, _ = timed(baseline, clip.path)
        baseline_times.append(wall)
        baseline_cpu.append(cpu)
        _, cpu, figures = timed(screening_pass, clip.path)
        passes.append(figures)
        passes_cpu.append(cpu)
    screening = min(passes, key=lambda p: p["seconds"])  # report the parts of the fastest run
    screening_median = statistics.median(p["seconds"] for p in passes)
    baseline_median = statistics.median(baseline_times)
    duration_s = clip.duration_ms / 1000
    found = screening["scene_cuts"]
    return {
        "clip": clip_facts(clip, size),
        "machine": machine_facts(),
        "runs": runs,
        "baseline": {
            "what": "ffmpeg -i CLIP -map 0:v:0 -f null - (default threads)"
            if use_cli
            else "PyAV decode of every video frame, FFmpeg default threading (no ffmpeg binary on PATH)",
            "median_s": round(baseline_median, 3),
            "all_s": [round(t, 3) for t in baseline_times],
            "median_cpu_s": round(statistics.median(baseline_cpu), 3),
        },
        "screening": {
            "what": "probe + one decode (1 frame/s, scene cuts) + PDQ per sampled frame + MD5/SHA-256",
            "median_s": round(screening_median, 3),
            "all_s": [round(p["seconds"], 3) for p in passes],
            "median_cpu_s": round(statistics.median(passes_cpu), 3),
            "fastest_run_parts_s": {
                key: round(screening[key], 3)
                for key in ("probe_s", "decode_sample_cuts_pdq_s", "md5_sha256_s")
            },
            "frames_decoded": screening["frames_decoded"],
            "frames_hashed": screening["frames_hashed"],
            "scene_cuts_expected": len(clip.cut_frames),
            "scene_cuts_found": len(found),
            "scene_cuts_within_one_frame": sum(
                any(abs(f - expected) <= 1 for f in found) for expected in clip.cut_frames
            ),
        },
        "ratio_to_baseline": round(screening_median / baseline_median, 2),
        "cpu_ratio_to_baseline": round(statistics.median(passes_cpu) / statistics.median(baseline_cpu), 2),
        "times_real_time": round(duration_s / screening_median, 1),
        "baseline_times_real_time": round(duration_s / baseline_median, 1),
    }


def clip_facts(clip: Any, size: Size) -> dict[str, Any]:
    """What the generated clip is, for the JSON of this bench and bench/screening.py."""
    return {
        "width": size.width,
        "height": size.height,
        "frame_rate": str(clip.fps),
        "duration_s": clip.duration_ms / 1000,
        "frames": clip.frame_count,
        "bytes": clip.path.stat().st_size,
        "codec": "h264 (libx264 crf 23), AAC audio",
    }


def machine_facts() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "pyav": av.__version__,
        "ffmpeg_libraries": av.library_versions.get("libavcodec"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="360p, 12 s clip (for CI and smoke runs)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--runs", type=int, default=None, help="timed runs of each (default 3, quick 2)")
    args = parser.parse_args()
    size = QUICK if args.quick else FULL
    result = run(size, args.runs or (2 if args.quick else 3))
    if args.json:
        print(json.dumps(result))
    else:
        clip, base, screening = result["clip"], result["baseline"], result["screening"]
        print(
            f"clip: {clip['width']}x{clip['height']} {clip['frame_rate']} fps, {clip['duration_s']} s, H.264"
        )
        print(f"baseline ({base['what']}): {base['median_s']} s")
        print(f"screening ({screening['what']}): {screening['median_s']} s")
        print(f"ratio to baseline: {result['ratio_to_baseline']}x; {result['times_real_time']}x real time")
        print(f"CPU-time ratio to baseline: {result['cpu_ratio_to_baseline']}x")
        print(f"scene cuts: {screening['scene_cuts_found']} found, {screening['scene_cuts_expected']} made")
    return 0


if __name__ == "__main__":
    sys.exit(main())
