"""The signal interface: what a signal reads (``InputKind``), what it finds (``SignalHit``), and what it
needs besides its input (``SignalContext``).

A signal is small and pure: no Django, no database, no files written. ``run(input, context)`` returns
hits only: things a reviewer should look at (a lexicon term, a classifier label over its threshold, a
hash that matches a known one). Hash signals also compute *features* (``features(input)``), which
screening stores for later matching; without known hashes to compare with they find no hits.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import Any, ClassVar

import numpy as np

from shinsa.policy.schemas import Severity
from shinsa.screening.signals.settings import SignalsSettings
from shinsa.screening.subtitles.cues import SubtitleTrack
from shinsa.screening.text.lexicon import Lexicons

# Most harmful first; merging keeps the highest.
SEVERITY_RANK = {Severity.LOW: 0, Severity.MEDIUM: 1, Severity.HIGH: 2, Severity.CRITICAL: 3}


class InputKind(StrEnum):
    FILE = "file"  # the file's bytes, whatever it holds (exact-match digests)
    IMAGE = "image"  # a still image, decoded upright on white
    VIDEO = "video"  # one sampled frame of a video (by time or at a scene cut)
    SUBTITLE = "subtitle"  # the cues of a subtitle file
    METADATA = "metadata"  # metadata text: title, synopsis, tags


@dataclass(frozen=True, kw_only=True, eq=False)
class FileInput:
    kind: ClassVar[InputKind] = InputKind.FILE
    path: Path


@dataclass(frozen=True, kw_only=True, eq=False)
class ImageInput:
    kind: ClassVar[InputKind] = InputKind.IMAGE
    rgb: np.ndarray  # (height, width, 3) uint8


@dataclass(frozen=True, kw_only=True, eq=False)
class VideoFrameInput:
    kind: ClassVar[InputKind] = InputKind.VIDEO
    index: int  # the frame's number in the stream
    start_ms: int  # presentation time
    end_ms: int  # when the next sampled frame starts (or the video ends): the span this frame stands for
    rgb: np.ndarray


@dataclass(frozen=True, kw_only=True, eq=False)
class SubtitleInput:
    kind: ClassVar[InputKind] = InputKind.SUBTITLE
    track: SubtitleTrack


@dataclass(frozen=True, kw_only=True, eq=False)
class MetadataInput:
    kind: ClassVar[InputKind] = InputKind.METADATA
    fields: Mapping[str, str | Sequence[str]]  # {"title": "...", "synopsis": "...", "tags": [...]}


SignalInput = FileInput | ImageInput | VideoFrameInput | SubtitleInput | MetadataInput


@dataclass(frozen=True, kw_only=True)
class SignalHit:
    signal: str
    policy_area: str
    severity: Severity
    score: float  # 0..1: how sure the signal is (1.0 for an exact match)
    start_ms: int | None  # where in the media; None for a whole file, an image or metadata
    end_ms: int | None
    detail: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not (isinstance(self.score, float) and math.isfinite(self.score) and 0.0 <= self.score <= 1.0):
            raise ValueError(f"score must be a float from 0 to 1, not {self.score!r}")
        if (self.start_ms is None) != (self.end_ms is None):
            raise ValueError("start_ms and end_ms are both set or both None")
        if self.start_ms is not None and not 0 <= self.start_ms <= self.end_ms:  # type: ignore[operator]
            raise ValueError(f"bad time range {self.start_ms}..{self.end_ms}")
        object.__setattr__(self, "severity", Severity(self.severity))
        object.__setattr__(self, "detail", MappingProxyType(dict(self.detail)))

    def as_json(self) -> dict[str, Any]:
        return {
            "signal": self.signal,
            "policy_area": self.policy_area,
            "severity": self.severity.value,
            "score": self.score,
            "start_ms": self.start_ms,
            "end_ms": self.end_ms,
            "detail": dict(self.detail),
        }


@dataclass(frozen=True, kw_only=True)
class KnownHash:
    """A hash to match against (a bank entry, once banks exist): the value in the signal's own form."""

    value: str
    policy_area: str
    severity: Severity
    label: str  # where it comes from, shown to reviewers (a bank name and entry id)


@dataclass(frozen=True, kw_only=True)
class HashFeature:
    """A hash computed from an input, kept for matching later (vPDQ-style per frame, or of the file)."""

    signal: str
    value: str
    quality: int | None  # PDQ quality 0-100; None for digests
    start_ms: int | None


@dataclass(frozen=True, kw_only=True)
class SignalContext:
    """What signals need besides their input: their settings, the lexicons, and the hashes known per
    signal name. Built once per screening; signals must not change it."""

    settings: SignalsSettings
    lexicons: Lexicons | None = None
    known: Mapping[str, Sequence[KnownHash]] = field(default_factory=dict)

    def known_for(self, signal: str) -> Sequence[KnownHash]:
        return self.known.get(signal, ())


class Signal(ABC):
    """One kind of evidence. Subclasses set ``name`` and ``accepts`` and implement ``run``."""

    name: ClassVar[str]
    accepts: ClassVar[frozenset[InputKind]]

    def unavailable(self) -> str | None:
        """Why this signal cannot run in this installation (a missing extra), or None when it can."""
        return None

    @abstractmethod
    def run(self, input: SignalInput, context: SignalContext) -> Iterable[SignalHit]:
        """The hits in ``input`` (one of ``accepts``); deterministic for the same input and context."""
