"""The one decoding pass of a video for screening: scene cuts, 1 fps PDQ (vPDQ-style features), every
enabled frame signal (the classifier when installed) and, optionally, the review proxies — all fed
from the same decoded frames (``VideoScan`` with a ``ProxyWriter`` sink).

Pure: no Django. ``shinsa.screening.stages`` stores what it returns; ``bench/screening.py`` times it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from shinsa.media.frames import SampledFrame, SamplingPlan, VideoScan
from shinsa.media.proxy import ProxyOutputs, ProxyPlan, ProxyWriter
from shinsa.screening.hashing.pdq import pdq_of_rgb
from shinsa.screening.signals.base import (
    HashFeature,
    InputKind,
    Signal,
    SignalContext,
    SignalHit,
    VideoFrameInput,
)
from shinsa.screening.signals.merge import hit_order, merge_frame_hits
from shinsa.screening.signals.registry import SIGNALS

SAMPLE_EVERY_MS = 1000
# progress(done_ms, total_ms): called about once per sampled frame
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class VideoPass:
    duration_ms: int
    frames_decoded: int
    scene_cuts: list[dict[str, float | int]]  # {"frame", "ms", "score"}
    features: list[HashFeature]  # PDQ per frame sampled by time (vPDQ-style), in time order
    hits: list[SignalHit]  # frame hits, consecutive ones merged into segments
    skipped: tuple[str, ...]  # enabled frame signals that cannot run here (the classifier extra)
    outputs: ProxyOutputs | None  # the review proxies, when asked for and not withheld
    withheld_at_ms: int | None = None  # the sampled frame that ``illegal_frame`` flagged: no proxies


def frame_signals(
    context: SignalContext, *, signals: Mapping[str, Signal] = SIGNALS, classifier: bool = True
) -> tuple[list[Signal], tuple[str, ...]]:
    """The enabled signals that read video frames and can run; the names of those that cannot."""
    wanted = [
        signal
        for name, signal in signals.items()
        if InputKind.VIDEO in signal.accepts
        and context.settings.is_enabled(name)
        and (classifier or name != "classifier")
    ]
    skipped = tuple(signal.name for signal in wanted if signal.unavailable() is not None)
    return [signal for signal in wanted if signal.name not in skipped], skipped


def video_pass(
    path: Path,
    context: SignalContext,
    *,
    proxies_to: Path | None = None,
    proxy_plan: ProxyPlan | None = None,
    progress: Progress | None = None,
    signals: Mapping[str, Signal] = SIGNALS,
    classifier: bool = True,
    illegal_frame: Callable[[HashFeature], bool] | None = None,
) -> VideoPass:
    """Decode ``path`` once and screen every sampled frame; write proxies under ``proxies_to``.

    ``illegal_frame`` sees each 1 fps PDQ as it is made; on the first it flags (a bank of illegal
    content), the proxies stop at once, what was written of them is deleted and the pass goes on
    screening only (``withheld_at_ms``).

    Raises ``MediaError`` for a file that cannot be decoded (nothing of the proxies is left behind).
    """
    runnable, skipped = frame_signals(context, signals=signals, classifier=classifier)
    writer = ProxyWriter(proxies_to, proxy_plan) if proxies_to is not None else None
    scan = VideoScan(path, SamplingPlan(sample_every_ms=SAMPLE_EVERY_MS, at_scene_cuts=True), sink=writer)
    features: list[HashFeature] = []
    frame_hits: list[SignalHit] = []
    withheld_at_ms: int | None = None

    def screen(frame: SampledFrame, end_ms: int) -> None:
        nonlocal writer, withheld_at_ms
        if frame.at_interval:
            pdq = pdq_of_rgb(frame.rgb)
            feature = HashFeature(signal="pdq", value=pdq.hex, quality=pdq.quality, start_ms=frame.pts_ms)
            features.append(feature)
            if writer is not None and illegal_frame is not None and illegal_frame(feature):
                scan.sink, withheld_at_ms = None, frame.pts_ms
                writer.abort()
                writer = None
        item = VideoFrameInput(index=frame.index, start_ms=frame.pts_ms, end_ms=end_ms, rgb=frame.rgb)
        for signal in runnable:
            frame_hits.extend(signal.run(item, context))
        if progress is not None:
            progress(frame.pts_ms, scan.declared_ms)

    try:
        pending: SampledFrame | None = None
        for frame in scan:
            if pending is not None:
                screen(pending, frame.pts_ms)
            pending = frame
        if pending is not None:
            screen(pending, max(scan.end_ms, pending.pts_ms))
        outputs = writer.finish(scan.end_ms) if writer is not None else None
    except BaseException:
        if writer is not None:
            writer.abort()
        raise
    return VideoPass(
        duration_ms=scan.end_ms,
        frames_decoded=scan.frames_decoded,
        scene_cuts=[{"frame": c.frame_index, "ms": c.pts_ms, "score": c.score} for c in scan.scene_cuts],
        features=features,
        hits=sorted(merge_frame_hits(frame_hits), key=hit_order),
        skipped=skipped,
        outputs=outputs,
        withheld_at_ms=withheld_at_ms,
    )
