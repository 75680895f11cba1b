"""The default bank matcher of the pipeline's ``banks`` stage: the banks app's ``bank_hits`` on the hashes
the ``decode`` stage stored (no second decode), in the JSON form ``shinsa hash --json`` prints.

Images are matched with PDQ's dihedral variants of the stored hash, videos frame by frame (1 fps) and as
vPDQ, files by MD5 (see docs/banks.md). Returns nothing when no bank is enabled.
"""

from __future__ import annotations

from typing import Any

from shinsa.screening.signals.base import SignalHit
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
    query = hash_json(hashes)
    pdq = "pdq" in query or query["kind"] == "video"
    return bank_hits(query, pdq=pdq, md5=bool(hashes.md5))
