"""The default bank matcher of the pipeline's ``banks`` stage: the banks app's ``bank_hits`` on the hashes
the ``decode`` stage stored (no second decode), in the JSON form ``shinsa hash --json`` prints.

Images are matched with PDQ's dihedral variants of the stored hash, videos frame by frame (1 fps) and as
vPDQ, files by MD5 (see docs/banks.md). Returns nothing when no bank is enabled.

``illegal_frame_check`` is the decode stage's early warning: one sampled frame's PDQ against the banks
of illegal content, while the pass runs, so no rendition of such media is finished.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shinsa.screening.signals.base import HashFeature, SignalHit
from shinsa.screening.stages import HashResult


def hash_json(hashes: HashResult) -> dict[str, Any]:
    if hashes.kind == "artwork":
        first = hashes.pdq[0] if hashes.pdq else None
        result: dict[str, Any] = {"kind": "image", "md5": hashes.md5}
        if first is not None:
            result |= {"pdq": first.value, "quality": first.quality}
        return result
    frames = [{"t": (f.start_ms or 0) / 1000, "pdq": f.value, "quality": f.quality} for f in hashes.pdq]
    return {"kind": "video", "md5": hashes.md5, "frames": frames}


def match_banks(hashes: HashResult) -> list[SignalHit]:
    from shinsa.banks.matching import bank_hits, banks_configured

    if not banks_configured():
        return []
    if not hashes.pdq:  # the digests alone, matched before any decoding
        from shinsa.banks.index.hits import HashQuery

        return bank_hits(HashQuery(md5=hashes.md5), pdq=False, md5=bool(hashes.md5))
    query = hash_json(hashes)
    pdq = "pdq" in query or query["kind"] == "video"
    return bank_hits(query, pdq=pdq, md5=bool(hashes.md5))


def illegal_frame_check() -> Callable[[HashFeature], bool] | None:
    """A test of one frame's PDQ against the enabled banks of illegal content (they quarantine), or
    None when there are none. Built once per pass: each call is one in-memory FAISS lookup, no query."""
    from shinsa.banks.index.matcher import ProposedAction, QueryFrame
    from shinsa.banks.matching import banks_configured, current_matcher

    if not banks_configured():
        return None
    matcher = current_matcher()
    if not any(bank.action == ProposedAction.QUARANTINE for bank in matcher.banks.values()):
        return None

    def illegal(feature: HashFeature) -> bool:
        start = feature.start_ms or 0
        frame = QueryFrame(pdq=feature.value, quality=feature.quality or 0, start_ms=start, end_ms=start)
        matches = matcher.match_frames([frame])
        return any(match.bank.action == ProposedAction.QUARANTINE for _, match in matches)

    return illegal
