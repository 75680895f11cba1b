"""vPDQ-compatible video features from our own single decoding pass, and the vPDQ comparison.

What vPDQ is (facebook/ThreatExchange ``vpdq``): a PDQ hash and quality for frames sampled about once a
second, each with its frame number and timestamp; two videos are compared as unordered bags of frames.
We produce the same kind of feature from ``shinsa.media.frames.VideoScan`` instead of decoding the file a
second time with the ``vpdq`` package. Differences, all small next to the match distance of 31:

- sampling: the first frame at or after each whole second of presentation time; vPDQ's C++ takes every
  ``int(frame rate)``-th decoded frame, which drifts against the clock at 23.976 or 29.97 fps;
- pixels: we shrink frames to at most 512 px on the longer side (area filter, ``SamplingPlan.max_side``)
  before PDQ, where vPDQ hashes the full decoded size by default; PDQ box-filters down to 64 x 64 anyway;
- orientation: we turn frames upright by the display rotation, as players do; vPDQ hashes the coded
  picture as stored;
- timestamps are the exact presentation time, not frame number / frame rate.

The serialised form matches python-threatexchange's ``VPDQSignal`` (a JSON list of "hex,quality,time").
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from shinsa.screening.hashing.pdq import MATCH_DISTANCE, MIN_USEFUL_QUALITY, PDQ_HEX_LENGTH, pdq_of_rgb

if TYPE_CHECKING:
    from shinsa.media.frames import SampledFrame


@dataclass(frozen=True)
class VpdqFeature:
    pdq: str
    quality: int
    time: float  # seconds of presentation time
    frame_index: int | None = None  # None when read back from an exchange, which does not carry it


@dataclass(frozen=True)
class VpdqMatch:
    query_percent: float  # share of the query's distinct usable frames found in the compared video
    compared_percent: float  # and the reverse

    def is_match(self, *, query_threshold: float = 80.0, compared_threshold: float = 0.0) -> bool:
        return self.query_percent >= query_threshold and self.compared_percent >= compared_threshold


def vpdq_features(frames: Iterable[SampledFrame]) -> list[VpdqFeature]:
    """Features for the frames sampled by time (scene-cut frames are not part of vPDQ)."""
    features = []
    for frame in frames:
        if frame.at_interval:
            pdq = pdq_of_rgb(frame.rgb)
            features.append(VpdqFeature(pdq.hex, pdq.quality, round(float(frame.time), 6), frame.index))
    return features


def vpdq_of_video_file(path: Path | str, *, sample_every_ms: int = 1000) -> list[VpdqFeature]:
    """vPDQ-style features of a video file, one decoding pass, no scene-cut detection (needs PyAV)."""
    from shinsa.media.frames import SamplingPlan, VideoScan

    return vpdq_features(VideoScan(path, SamplingPlan(sample_every_ms=sample_every_ms, at_scene_cuts=False)))


def to_threatexchange_signal(features: Sequence[VpdqFeature]) -> str:
    """The ``VPDQSignal`` string of python-threatexchange (its odd 3-significant-digit time included)."""
    return json.dumps([f"{f.pdq},{f.quality},{f.time:.3}" for f in features])


def from_threatexchange_signal(signal: str) -> list[VpdqFeature]:
    """Read a ``VPDQSignal`` string; ``ValueError`` naming the first bad entry."""
    features = []
    for entry in json.loads(signal or "[]"):
        try:
            pdq, quality, time = str(entry).split(",")
            feature = VpdqFeature(pdq.lower(), int(quality), float(time))
            int(feature.pdq, 16)
        except ValueError:
            raise ValueError(f"not a vPDQ feature: {str(entry)[:100]!r}") from None
        if len(feature.pdq) != PDQ_HEX_LENGTH or not 0 <= feature.quality <= 100 or feature.time < 0:
            raise ValueError(f"not a vPDQ feature: {str(entry)[:100]!r}")
        features.append(feature)
    return features


def vpdq_match(
    query: Sequence[VpdqFeature],
    compared: Sequence[VpdqFeature],
    *,
    distance: int = MATCH_DISTANCE,
    min_quality: int = MIN_USEFUL_QUALITY,
) -> VpdqMatch:
    """Compare two videos' features as vPDQ does: distinct hashes of usable quality, within ``distance``."""
    query_bits, compared_bits = _usable_bits(query, min_quality), _usable_bits(compared, min_quality)
    if not len(query_bits) or not len(compared_bits):
        return VpdqMatch(0.0, 0.0)
    close = _distances(query_bits, compared_bits) <= distance
    return VpdqMatch(
        query_percent=100 * float(close.any(axis=1).mean()),
        compared_percent=100 * float(close.any(axis=0).mean()),
    )


def _usable_bits(features: Sequence[VpdqFeature], min_quality: int) -> np.ndarray:
    distinct = dict.fromkeys(f.pdq for f in features if f.quality >= min_quality)
    if not distinct:
        return np.zeros((0, 32), dtype=np.uint8)
    return np.frombuffer(bytes.fromhex("".join(distinct)), dtype=np.uint8).reshape(-1, 32)


def _distances(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """All pairwise Hamming distances, in row blocks so memory stays small for long videos."""
    rows = []
    for start in range(0, len(first), 256):
        block = np.bitwise_xor(first[start : start + 256, None, :], second[None, :, :])
        rows.append(np.bitwise_count(block).sum(axis=2, dtype=np.int32))
    return np.concatenate(rows)
