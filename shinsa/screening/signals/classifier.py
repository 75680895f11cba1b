"""``classifier``: NudeNet's detector (its ONNX model ships inside the pinned ``nudenet`` wheel) run
by onnxruntime over images and sampled video frames, with a threshold, policy area and severity per
label from ``policies/signals.toml``. Labels not listed there never make hits.

An optional extra (``pip install -e ".[classifier]"``): NudeNet is AGPL-3.0 and pulls in onnxruntime
and OpenCV. Without it the signal reports itself unavailable and screening names it in ``skipped``.
Nothing is downloaded at run time.
"""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Iterator
from typing import Any

import numpy as np

from shinsa.screening.signals.base import (
    ImageInput,
    InputKind,
    Signal,
    SignalContext,
    SignalHit,
    SignalInput,
    VideoFrameInput,
)

_detector: Any = None
_detector_lock = threading.Lock()


def _nudenet_detector() -> Any:
    """One detector per process: loading the model takes longer than running it on a frame."""
    global _detector
    with _detector_lock:
        if _detector is None:
            import onnxruntime
            from nudenet import NudeDetector

            onnxruntime.set_default_logger_severity(3)  # errors only: its warnings must not reach stderr
            _detector = NudeDetector()
        return _detector


class ClassifierSignal(Signal):
    name = "classifier"
    accepts = frozenset({InputKind.IMAGE, InputKind.VIDEO})

    def unavailable(self) -> str | None:
        for module in ("nudenet", "onnxruntime", "cv2"):
            if importlib.util.find_spec(module) is None:
                return f"the classifier extra is not installed ({module} is missing)"
        return None

    def run(self, input: SignalInput, context: SignalContext) -> Iterator[SignalHit]:
        assert isinstance(input, ImageInput | VideoFrameInput)
        rules = {rule.label: rule for rule in context.settings.classifier_labels}
        if not rules:
            return
        # NudeNet expects what cv2.imread gives: BGR.
        bgr = np.ascontiguousarray(input.rgb[..., ::-1])
        best: dict[str, dict[str, Any]] = {}
        for detection in _nudenet_detector().detect(bgr):
            label, score = detection["class"], float(detection["score"])
            rule = rules.get(label)
            if rule is None or score < rule.threshold:
                continue
            if label not in best or score > best[label]["score"]:
                best[label] = {"score": score, "box": [int(v) for v in detection["box"]]}
        span = (input.start_ms, input.end_ms) if isinstance(input, VideoFrameInput) else (None, None)
        for label in sorted(best):
            rule = rules[label]
            yield SignalHit(
                signal=self.name,
                policy_area=rule.policy_area,
                severity=rule.severity,
                score=min(1.0, round(best[label]["score"], 4)),
                start_ms=span[0],
                end_ms=span[1],
                detail={"label": label, "box": best[label]["box"]},
            )
