"""Hard scene cuts, found in the same decoding pass as frame sampling.

Each decoded frame is reduced to a *signature*: the mean of its Y, U and V planes over an 18 x 32 grid
of blocks (so fine motion inside a block averages out). The *score* of a frame is the mean absolute
difference between its signature and the previous frame's, in 8-bit levels (0-255).

A frame starts a new scene when its score is both
- at least ``min_score`` (a floor, so compression noise in a still shot never counts), and
- at least ``ratio`` times the mean score of the last ``window`` frames (an adaptive threshold, so a
  busy handheld shot needs a much larger jump than a locked-off one),
and the previous cut is at least ``min_scene_ms`` earlier (a flash or a two-frame glitch makes one
cut, not two). The decision uses only frames already seen, so cuts are known as the pass goes.

Hard cuts only: dissolves and fades spread the change over many frames and are not reported.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

GRID_ROWS, GRID_COLS = 18, 32


@dataclass(frozen=True)
class SceneCut:
    frame_index: int  # the first frame of the new scene, counted in the stream from 0
    pts_ms: int
    score: float


def plane_blocks(plane: np.ndarray, rows: int = GRID_ROWS, cols: int = GRID_COLS) -> np.ndarray:
    """Block means of one 8-bit image plane on a ``rows`` x ``cols`` grid, as float32.

    Subsamples with a stride first (about 4 x 4 samples per block), so it costs the same at 480p and 4K.
    """
    height, width = plane.shape
    step_y, step_x = max(1, height // (rows * 4)), max(1, width // (cols * 4))
    sampled = plane[::step_y, ::step_x]
    per_row, per_col = sampled.shape[0] // rows, sampled.shape[1] // cols
    if per_row == 0 or per_col == 0:  # a plane smaller than the grid: use it as it is, enlarged
        sampled = np.repeat(np.repeat(sampled, rows, axis=0), cols, axis=1)
        per_row, per_col = sampled.shape[0] // rows, sampled.shape[1] // cols
    cropped = sampled[: rows * per_row, : cols * per_col]
    # Averaged in float32 straight from the 8-bit view: the same sums as a float32 copy, without it.
    return cropped.reshape(rows, per_row, cols, per_col).mean(axis=(1, 3), dtype=np.float32)


def frame_signature(y: np.ndarray, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """The (3, rows, cols) block-mean signature of a frame from its Y, U and V planes."""
    return np.stack([plane_blocks(y), plane_blocks(u), plane_blocks(v)])


def signature_distance(previous: np.ndarray, current: np.ndarray) -> float:
    """Mean absolute difference of two signatures, in 8-bit levels; luma counts as much as both chromas."""
    difference = np.abs(current - previous).mean(axis=(1, 2))
    return float((2 * difference[0] + difference[1] + difference[2]) / 4)


class SceneCutDetector:
    """Feed it every frame's signature in presentation order; it returns a ``SceneCut`` on each cut."""

    def __init__(
        self,
        *,
        min_score: float = 12.0,
        ratio: float = 3.0,
        window: int = 24,
        min_scene_ms: int = 250,
    ) -> None:
        self.min_score, self.ratio, self.min_scene_ms = min_score, ratio, min_scene_ms
        self.recent: deque[float] = deque(maxlen=window)
        self.previous: np.ndarray | None = None
        self.last_cut_ms: int | None = None
        self.cuts: list[SceneCut] = []

    def push(self, signature: np.ndarray, frame_index: int, pts_ms: int) -> SceneCut | None:
        previous, self.previous = self.previous, signature
        if previous is None:
            return None
        score = signature_distance(previous, signature)
        baseline = sum(self.recent) / len(self.recent) if self.recent else 0.0
        far_enough = self.last_cut_ms is None or pts_ms - self.last_cut_ms >= self.min_scene_ms
        if score >= self.min_score and score >= self.ratio * baseline and far_enough:
            self.last_cut_ms = pts_ms
            cut = SceneCut(frame_index=frame_index, pts_ms=pts_ms, score=round(score, 2))
            self.cuts.append(cut)
            return cut  # a cut's score stays out of the baseline, which describes motion within scenes
        self.recent.append(score)
        return None
