"""Benchmark: full screening of a video against plain decoding of the same file, in the same run.

    python bench/screening.py [--quick] --json

Generates (once, cached under var/bench/) a 1080p H.264 clip of 60 s with our own encoder (``--quick``:
360p, 12 s), then times, alternating, ``--runs`` times each:

- the baseline: plain decoding of the video stream. With an ``ffmpeg`` binary on PATH that is
  ``ffmpeg -i CLIP -map 0:v:0 -f null -`` (default threads); without one (a fresh machine set up by the
  README's two commands has none) PyAV decoding every frame with FFmpeg's default threading, converting
  nothing — the JSON says which in ``baseline.what``;
- full screening as the pipeline's stages run it (``shinsa.screening.passes.video_pass``): probe, ONE
  decode feeding scene cuts, 1 fps PDQ (vPDQ-style features), every frame signal, and MD5/SHA-256 of the
  file — four variants: with and without the classifier (NudeNet, when its extra is installed), with and
  without the review proxies (H.264/AAC ≤ 540p, poster, sprite + WebVTT) encoded from the same frames.

Prints the medians, each variant's ratio to the baseline and its speed as a multiple of real time, and the
CPU time (all threads) of each: on a shared machine wall-clock figures swing, CPU-time ratios less.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(ROOT / "bench"))

from screening_media import (  # noqa: E402
    FULL,
    QUICK,
    Size,
    cached_clip,
    clip_facts,
    cpu_seconds,
    ffmpeg_decode,
    machine_facts,
    pyav_decode,
)

from shinsa.media.probe import probe  # noqa: E402
from shinsa.media.quiet import native_stderr_silenced  # noqa: E402
from shinsa.screening.hashing.digests import file_digests  # noqa: E402
from shinsa.screening.passes import video_pass  # noqa: E402
from shinsa.screening.signals import SignalContext, SignalsSettings  # noqa: E402
from shinsa.screening.signals.classifier import ClassifierSignal  # noqa: E402

TARGET_SCREENING, TARGET_WITH_PROXIES = 1.3, 2.0


def _context() -> SignalContext:
    """The shipped policy's signal settings and lexicons, read without a database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shinsa.settings")
    import django

    django.setup()
    from shinsa.screening.context import policy_signal_context

    try:
        return policy_signal_context()
    except Exception:  # noqa: BLE001 - the bench still measures with every signal at its defaults
        return SignalContext(settings=SignalsSettings.all_enabled())


def screening(path: Path, context: SignalContext, *, classifier: bool, proxies: bool) -> dict[str, Any]:
    started = time.perf_counter()
    probe(path)
    with tempfile.TemporaryDirectory(prefix="bench-proxies-") as folder:
        result = video_pass(
            path, context, proxies_to=Path(folder) if proxies else None, classifier=classifier
        )
        outputs = (
            {kind: {"bytes": out.path.stat().st_size, **out.facts} for kind, out in result.outputs.items()}
            if result.outputs
            else None
        )
    file_digests(path)
    return {
        "seconds": time.perf_counter() - started,
        "frames_decoded": result.frames_decoded,
        "frames_hashed": len(result.features),
        "scene_cuts": len(result.scene_cuts),
        "hits": len(result.hits),
        "skipped": list(result.skipped),
        "outputs": outputs,
    }


def _timed(work: Callable[[], Any]) -> tuple[float, float, Any]:
    wall, cpu = time.perf_counter(), cpu_seconds()
    value = work()
    return time.perf_counter() - wall, cpu_seconds() - cpu, value


def run(size: Size, runs: int) -> dict[str, Any]:
    clip = cached_clip(size)
    context = _context()
    use_cli = shutil.which("ffmpeg") is not None
    baseline = ffmpeg_decode if use_cli else pyav_decode
    classifier_ready = ClassifierSignal().unavailable() is None
    variants = {
        "screening": {"classifier": False, "proxies": False},
        "screening_with_proxies": {"classifier": False, "proxies": True},
    }
    if classifier_ready:
        variants["screening_with_classifier"] = {"classifier": True, "proxies": False}
        variants["screening_with_classifier_and_proxies"] = {"classifier": True, "proxies": True}
    baseline(clip.path)  # warm the page cache and the libraries before timing anything
    with native_stderr_silenced():
        screening(clip.path, context, classifier=classifier_ready, proxies=False)  # load the model once
    base_wall, base_cpu = [], []
    walls: dict[str, list[float]] = {name: [] for name in variants}
    cpus: dict[str, list[float]] = {name: [] for name in variants}
    last: dict[str, dict[str, Any]] = {}
    for _ in range(runs):
        wall, cpu, _ = _timed(lambda: baseline(clip.path))
        base_wall.append(wall)
        base_cpu.append(cpu)
        for name, options in variants.items():
            with native_stderr_silenced():
                wall, cpu, figures = _timed(lambda options=options: screening(clip.path, context, **options))
            walls[name].append(wall)
            cpus[name].append(cpu)
            last[name] = figures
    duration_s = clip.duration_ms / 1000
    base_median, base_cpu_median = statistics.median(base_wall), statistics.median(base_cpu)
    result: dict[str, Any] = {
        "clip": clip_facts(clip, size),
        "machine": machine_facts(),
        "runs": runs,
        "ffmpeg_binary": use_cli,
        "classifier_installed": classifier_ready,
        "baseline": {
            "what": "ffmpeg -i CLIP -map 0:v:0 -f null - (default threads)"
            if use_cli
            else "no ffmpeg binary on PATH: PyAV decode of every video frame, FFmpeg default threading",
            "median_s": round(base_median, 3),
            "all_s": [round(t, 3) for t in base_wall],
            "median_cpu_s": round(base_cpu_median, 3),
            "times_real_time": round(duration_s / base_median, 1),
        },
        "units": {"ratio": "median wall-clock time / baseline median", "times_real_time": "clip seconds / s"},
        "targets": {"screening": TARGET_SCREENING, "with_proxies": TARGET_WITH_PROXIES},
    }
    for name in variants:
        median = statistics.median(walls[name])
        figures = last[name]
        result[name] = {
            "median_s": round(median, 3),
            "all_s": [round(t, 3) for t in walls[name]],
            "median_cpu_s": round(statistics.median(cpus[name]), 3),
            "ratio_to_baseline": round(median / base_median, 2),
            "cpu_ratio_to_baseline": round(statistics.median(cpus[name]) / base_cpu_median, 2),
            "times_real_time": round(duration_s / median, 1),
            **figures,
        }
        result[name].pop("seconds", None)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="360p, 12 s clip (for CI and smoke runs)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--runs", type=int, default=None, help="timed runs of each (default 2, quick 1)")
    args = parser.parse_args()
    result = run(QUICK if args.quick else FULL, args.runs or (1 if args.quick else 2))
    if args.json:
        print(json.dumps(result))
        return 0
    print(f"baseline ({result['baseline']['what']}): {result['baseline']['median_s']} s")
    for name in ("screening", "screening_with_classifier", "screening_with_proxies"):
        if name in result:
            figures = result[name]
            print(
                f"{name}: {figures['median_s']} s, {figures['ratio_to_baseline']}x baseline, "
                f"{figures['times_real_time']}x real time"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
