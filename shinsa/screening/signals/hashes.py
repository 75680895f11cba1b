"""Hash signals: ``pdq`` (per image and per sampled video frame, with quality) and the exact-file
digests ``md5`` and ``sha256``.

Each computes a feature (``features(input)``) and matches it against the hashes the context knows for
its name, a linear scan meant for a handful of hashes (tests, scripts). Hash banks are matched apart,
by ``shinsa.banks`` (FAISS and multi-index hashing, dihedral variants, negative banks, vPDQ video
matches): ``shinsa screen`` adds their hits from the same decoding pass (see docs/banks.md).
"""

from __future__ import annotations

from collections.abc import Iterator

from shinsa.screening.hashing.digests import file_digests
from shinsa.screening.hashing.pdq import pdq_distance, pdq_of_rgb
from shinsa.screening.signals.base import (
    FileInput,
    HashFeature,
    ImageInput,
    InputKind,
    Signal,
    SignalContext,
    SignalHit,
    SignalInput,
    VideoFrameInput,
)


class PdqSignal(Signal):
    name = "pdq"
    accepts = frozenset({InputKind.IMAGE, InputKind.VIDEO})

    def features(self, input: SignalInput) -> list[HashFeature]:
        assert isinstance(input, ImageInput | VideoFrameInput)
        pdq = pdq_of_rgb(input.rgb)
        start_ms = input.start_ms if isinstance(input, VideoFrameInput) else None
        return [HashFeature(signal=self.name, value=pdq.hex, quality=pdq.quality, start_ms=start_ms)]

    def run(self, input: SignalInput, context: SignalContext) -> Iterator[SignalHit]:
        known = context.known_for(self.name)
        if not known:
            return
        settings = context.settings
        (feature,) = self.features(input)
        if feature.quality is not None and feature.quality < settings.pdq_min_quality:
            return  # flat or blurred pictures match everything: not evidence
        span = (input.start_ms, input.end_ms) if isinstance(input, VideoFrameInput) else (None, None)
        for entry in known:
            distance = pdq_distance(feature.value, entry.value)
            if distance <= settings.pdq_max_distance:
                yield SignalHit(
                    signal=self.name,
                    policy_area=entry.policy_area,
                    severity=entry.severity,
                    score=1.0 - distance / 256,
                    start_ms=span[0],
                    end_ms=span[1],
                    detail={
                        "label": entry.label,
                        "distance": distance,
                        "quality": feature.quality,
                        "pdq": feature.value,
                    },
                )


class _DigestSignal(Signal):
    accepts = frozenset({InputKind.FILE})

    def features(self, input: SignalInput) -> list[HashFeature]:
        assert isinstance(input, FileInput)
        digests = file_digests(input.path)
        value = getattr(digests, self.name)
        return [HashFeature(signal=self.name, value=value, quality=None, start_ms=None)]

    def run(self, input: SignalInput, context: SignalContext) -> Iterator[SignalHit]:
        known = context.known_for(self.name)
        if not known:
            return
        (feature,) = self.features(input)
        for entry in known:
            if entry.value.lower() == feature.value:
                yield SignalHit(
                    signal=self.name,
                    policy_area=entry.policy_area,
                    severity=entry.severity,
                    score=1.0,
                    start_ms=None,
                    end_ms=None,
                    detail={"label": entry.label, self.name: feature.value},
                )


class Md5Signal(_DigestSignal):
    name = "md5"


class Sha256Signal(_DigestSignal):
    name = "sha256"
