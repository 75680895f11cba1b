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
from pathlib import Path
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
SCORE_FLOOR = 0.2  # NudeNet's own: lower class scores are not detections
NMS_SCORE, NMS_OVERLAP = 0.25, 0.45  # NudeNet's non-maximum suppression


class NudeNetDetector:
    """NudeNet's packaged model (``320n.onnx``), run as ``nudenet.NudeDetector.detect`` runs it — the
    frame padded to a square at the bottom and right, resized to the model's input, the same score floor
    and non-maximum suppression, so the detections are the same — but cheaper per frame:

    - one intra-op thread that sleeps rather than spins when idle: a worker decodes video in other
      threads and workers share cores, so onnxruntime's default pool (one spinning thread per core)
      burns CPU time without making a frame faster;
    - RGB in directly, no copy (NudeNet's two channel swaps of what cv2 reads leave the model BGR,
      which ``blobFromImage``'s ``swapRB`` makes from RGB as it scales);
    - the 2,100 candidate boxes filtered with numpy instead of a Python loop (~60 ms a frame).
    """

    def __init__(self) -> None:
        import nudenet.nudenet
        import onnxruntime

        onnxruntime.set_default_logger_severity(3)  # errors only: its warnings must not reach stderr
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        model = Path(nudenet.nudenet.__file__).with_name("320n.onnx")
        self.session = onnxruntime.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
        self.input_name = self.session.get_inputs()[0].name
        self.size = 320
        self.labels: list[str] = vars(nudenet.nudenet)["__labels"]

    def detect(self, rgb: np.ndarray) -> list[dict[str, Any]]:
        """NudeNet's detections (``class``, ``score``, ``box`` as x, y, w, h) in an RGB picture."""
        (output,) = self.session.run(None, {self.input_name: self.blob(rgb)})
        return self.detections(output, width=rgb.shape[1], height=rgb.shape[0])

    def blob(self, rgb: np.ndarray) -> np.ndarray:
        """The model's input: padded to a square (bottom, right), resized, BGR scaled to 0-1, NCHW."""
        import cv2

        height, width = rgb.shape[:2]
        side = max(height, width)
        padded = cv2.copyMakeBorder(rgb, 0, side - height, 0, side - width, cv2.BORDER_CONSTANT)
        return cv2.dnn.blobFromImage(padded, 1 / 255.0, (self.size, self.size), (0, 0, 0), swapRB=True)

    def detections(self, output: np.ndarray, *, width: int, height: int) -> list[dict[str, Any]]:
        import cv2

        rows = np.squeeze(output).T  # (candidates, 4 box values + one score per label)
        scores = rows[:, 4:]
        best = scores.max(axis=1)
        keep = best >= SCORE_FLOOR
        rows, best, classes = rows[keep], best[keep], scores[keep].argmax(axis=1)
        side = max(width, height)  # the padded square, back from the model's size (NudeNet's arithmetic)
        x = np.clip((rows[:, 0] - rows[:, 2] / 2) * side / self.size, 0, width)
        y = np.clip((rows[:, 1] - rows[:, 3] / 2) * side / self.size, 0, height)
        w = np.minimum(rows[:, 2] * side / self.size, width - x)
        h = np.minimum(rows[:, 3] * side / self.size, height - y)
        boxes = np.stack([x, y, w, h], axis=1).tolist()
        kept = cv2.dnn.NMSBoxes(boxes, best.tolist(), NMS_SCORE, NMS_OVERLAP)
        return [
            {
                "class": self.labels[int(classes[i])],
                "score": float(best[i]),
                "box": [int(v) for v in boxes[i]],
            }
            for i in kept
        ]


def _nudenet_detector() -> NudeNetDetector:
    """One detector per process: loading the model takes longer than running it on a frame."""
    global _detector
    with _detector_lock:
        if _detector is None:
            _detector = NudeNetDetector()
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
        best: dict[str, dict[str, Any]] = {}
        for detection in _nudenet_detector().detect(input.rgb):
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
