"""A bank matcher with the contract the banks branch provides (``HashResult`` in, ``SignalHit``s out):
known PDQ hashes matched by Hamming distance, for the bank-matching slot's test."""

from __future__ import annotations

from collections.abc import Iterator

from shinsa.screening.hashing.pdq import pdq_distance
from shinsa.screening.signals.base import SignalHit
from shinsa.screening.stages import HashResult

KNOWN: dict[str, str] = {}  # bank entry id -> PDQ hex; the test fills it with a frame of its clip


def bank_hits(hashes: HashResult) -> Iterator[SignalHit]:
    for feature in hashes.pdq:
        for entry, known in KNOWN.items():
            distance = pdq_distance(feature.value, known)
            if distance <= 31:
                start = feature.start_ms or 0
                yield SignalHit(
                    signal="pdq",
                    policy_area="violence",
                    severity="high",
                    score=1.0 - distance / 256,
                    start_ms=start,
                    end_ms=start + 1000,
                    detail={"bank": "test bank", "entry": entry, "distance": distance},
                )
