"""Evidence a decision rests on (pure, no Django): time ranges, subtitle cues, frames and notes (ms)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

KINDS = ("time_range", "subtitle_cue", "frame", "note")


@dataclass(frozen=True, kw_only=True, slots=True)
class EvidenceRow:
    kind: str
    asset_id: int | None = None
    start_ms: int | None = None
    end_ms: int | None = None
    cue_index: int | None = None
    note: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EvidenceRow:
        unknown = set(data) - {"kind", "asset_id", "start_ms", "end_ms", "cue_index", "note"}
        if unknown:
            raise ValueError(f"unknown evidence fields: {', '.join(sorted(unknown))}")
        return cls(**data)


def evidence_problems(rows: list[EvidenceRow], *, duration_ms: dict[int, int]) -> list[str]:
    """One sentence per problem (English; callers translate the fixed parts). ``duration_ms`` maps asset
    ids to their known durations: a time range or frame must lie within it."""
    problems: list[str] = []
    for number, row in enumerate(rows, start=1):
        where = f"evidence {number}"
        if row.kind not in KINDS:
            problems.append(f"{where}: unknown kind {row.kind!r} (use {', '.join(KINDS)})")
            continue
        if row.kind == "time_range":
            if row.start_ms is None or row.end_ms is None:
                problems.append(f"{where}: a time range needs start_ms and end_ms")
                continue
            if row.start_ms < 0:
                problems.append(f"{where}: start_ms cannot be negative")
            if row.end_ms <= row.start_ms:
                problems.append(f"{where}: end_ms must be after start_ms")
        elif row.kind == "frame":
            if row.start_ms is None or row.start_ms < 0 or row.end_ms is not None:
                problems.append(f"{where}: a frame needs one start_ms of 0 or more and no end_ms")
                continue
        elif row.kind == "subtitle_cue":
            if row.cue_index is None or row.cue_index < 0:
                problems.append(f"{where}: a subtitle cue needs its cue_index")
        elif not row.note.strip() or row.start_ms is not None or row.end_ms is not None:
            problems.append(f"{where}: a note needs text and no times")
        if row.kind in ("time_range", "frame") and row.asset_id is not None and row.asset_id in duration_ms:
            last = row.end_ms if row.end_ms is not None else row.start_ms
            if last is not None and last > duration_ms[row.asset_id]:
                problems.append(
                    f"{where}: {last} ms is past the end of the media ({duration_ms[row.asset_id]} ms)"
                )
    return problems
