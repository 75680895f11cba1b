"""From hashes of one file to screening hits against the banks (pure: no Django).

``HashQuery`` is what a file's hashing gives: its md5, an image's eight dihedral PDQ hashes, or a video's
sampled frames. It can be built three ways: by ``BankFeatureCollector`` while a screening pass runs (it
sees the same decoded pictures as the other signals, so nothing is decoded twice), from the JSON that
``shinsa hash --json`` prints (``query_of_hash_json``; an image's variants are then computed from the
hash: two exact, six close), or by hand.

``hits_for_query`` turns the matcher's ``BankMatch``es into ``SignalHit``s: ``pdq`` (an image, or one
sampled frame: consecutive frames of one entry merge into one segment), ``vpdq`` (a video entry, with
the matched segment and both fractions) and ``md5``. ``detail`` names the bank and the entry, and
``action``: ``quarantine`` for a bank of illegal content, else ``enqueue`` (with the bank's severity).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from shinsa.banks.index.matcher import BankMatch, BankMatcher, QueryFrame
from shinsa.banks.index.pdq_index import dihedral_variants_of_hash, dihedral_variants_of_rgb
from shinsa.screening.hashing.digests import file_digests
from shinsa.screening.signals.base import (
    FileInput,
    ImageInput,
    InputKind,
    Signal,
    SignalContext,
    SignalHit,
    SignalInput,
    VideoFrameInput,
)
from shinsa.screening.signals.merge import merge_frame_hits


@dataclass
class HashQuery:
    md5: str | None = None
    image: tuple[list[tuple[str, str]], int] | None = None  # (variant name, PDQ hex) pairs, quality
    frames: list[QueryFrame] = field(default_factory=list)


class BankFeatureCollector(Signal):
    """Not a registered signal: handed to ``screen_file`` beside the others, it keeps the hashes bank
    matching needs from the inputs the screening pass already decoded, and finds no hits itself."""

    name = "bank_features"
    accepts = frozenset({InputKind.FILE, InputKind.IMAGE, InputKind.VIDEO})

    def __init__(self, *, pdq: bool = True, md5: bool = True) -> None:
        self.pdq = pdq
        self.md5 = md5
        self.query = HashQuery()

    def run(self, input: SignalInput, context: SignalContext) -> Iterable[SignalHit]:
        if isinstance(input, FileInput) and self.md5:
            self.query.md5 = file_digests(input.path).md5
        elif isinstance(input, ImageInput) and self.pdq:
            self.query.image = dihedral_variants_of_rgb(input.rgb)
        elif isinstance(input, VideoFrameInput) and self.pdq:
            from shinsa.screening.hashing.pdq import pdq_of_rgb

            pdq = pdq_of_rgb(input.rgb)
            self.query.frames.append(
                QueryFrame(pdq=pdq.hex, quality=pdq.quality, start_ms=input.start_ms, end_ms=input.end_ms)
            )
        return ()


def query_of_hash_json(result: Mapping[str, Any]) -> HashQuery:
    """A query from ``shinsa hash FILE --json`` output; each frame spans to the next one (the last: 1 s)."""
    if result.get("kind") == "image":
        return HashQuery(
            md5=result.get("md5"), image=(dihedral_variants_of_hash(result["pdq"]), int(result["quality"]))
        )
    frames = list(result.get("frames", []))
    query = HashQuery(md5=result.get("md5"))
    for number, frame in enumerate(frames):
        start = round(float(frame["t"]) * 1000)
        end = round(float(frames[number + 1]["t"]) * 1000) if number + 1 < len(frames) else start + 1000
        query.frames.append(
            QueryFrame(pdq=frame["pdq"], quality=int(frame["quality"]), start_ms=start, end_ms=end)
        )
    return query


def hits_for_query(
    matcher: BankMatcher, query: HashQuery, *, pdq: bool = True, md5: bool = True
) -> list[SignalHit]:
    """Every bank hit for ``query``; frame hits of one entry in consecutive frames merged."""
    hits: list[SignalHit] = []
    if md5 and query.md5:
        hits.extend(_hit("md5", match, 1.0) for match in matcher.match_md5(query.md5))
    if pdq and query.image is not None:
        variants, quality = query.image
        for match in matcher.match_image(variants, quality):
            hits.append(_hit("pdq", match, 1.0 - (match.distance or 0) / 256))
    if pdq and query.frames:
        frame_hits = [
            _hit("pdq", match, 1.0 - (match.distance or 0) / 256, span=(frame.start_ms, frame.end_ms))
            for frame, match in matcher.match_frames(query.frames)
        ]
        hits.extend(merge_frame_hits(frame_hits))
        for match in matcher.match_video(query.frames):
            score = max(match.query_percent or 0.0, match.compared_percent or 0.0) / 100
            hits.append(_hit("vpdq", match, score, span=(match.start_ms, match.end_ms)))  # type: ignore[arg-type]
    return hits


def _hit(signal: str, match: BankMatch, score: float, span: tuple[int, int] | None = None) -> SignalHit:
    bank = match.bank
    detail: dict[str, Any] = {
        "label": f"{bank.name}#{match.entry_id}",
        "bank": bank.name,
        "bank_id": bank.id,
        "entry_id": match.entry_id,
        "entry_label": match.label,
        "action": bank.action.value,
    }
    if match.distance is not None:
        detail["distance"] = match.distance
    if match.variant is not None:
        detail["variant"] = match.variant
    if match.query_percent is not None:
        detail["query_percent"] = match.query_percent
        detail["compared_percent"] = match.compared_percent
    if match.entry_span_ms is not None:
        detail["entry_start_ms"], detail["entry_end_ms"] = match.entry_span_ms
    return SignalHit(
        signal=signal,
        policy_area=bank.policy_area,
        severity=bank.severity,  # type: ignore[arg-type]
        score=round(float(score), 4),
        start_ms=span[0] if span else None,
        end_ms=span[1] if span else None,
        detail=detail,
    )
