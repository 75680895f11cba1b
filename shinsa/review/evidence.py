"""Evidence a decision rests on (pure, no Django): time ranges, subtitle cues, frames and notes (ms)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

KINDS = ("time_range", "subtitle_cue", "frame", "note")
# A subtitle cue's evidence keeps this much of its text (the file itself stays the reference).
CUE_EXCERPT_CHARS = 200


@dataclass(frozen=True, kw_only=True, slots=True)
class EvidenceRow:
    kind: str
    asset_id: int | None = None
    asset_version_id: int | None = None  # the exact file a subtitle cue's index counts in
    start_ms: int | None = None
    end_ms: int | None = None
    cue_index: int | None = None
    note: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EvidenceRow:
        unknown = set(data) - {f.name for f in fields(cls)}
        if unknown:
            raise ValueError(f"unknown evidence fields: {', '.join(sorted(unknown))}")
        return cls(**data)


@dataclass(frozen=True, slots=True)
class CueText:
    """One cue of a subtitle file as read: its times and plain text."""

    start_ms: int
    end_ms: int
    text: str


def cue_excerpt(text: str) -> str:
    """The cue's text on one line, cut to ``CUE_EXCERPT_CHARS`` (an ellipsis says it was cut)."""
    line = " ".join(text.split())
    return line if len(line) <= CUE_EXCERPT_CHARS else line[: CUE_EXCERPT_CHARS - 1] + "…"


def subtitle_cue_row(
    *, asset_id: int, asset_version_id: int, cue_index: int, cues: Sequence[CueText]
) -> EvidenceRow | None:
    """The evidence for cue ``cue_index`` (0-based) of a subtitle file: which file, which cue, its time
    range and an excerpt of its text. None when the file has no such cue."""
    if not 0 <= cue_index < len(cues):
        return None
    cue = cues[cue_index]
    return EvidenceRow(
        kind="subtitle_cue",
        asset_id=asset_id,
        asset_version_id=asset_version_id,
        cue_index=cue_index,
        start_ms=cue.start_ms,
        end_ms=cue.end_ms,
        note=cue_excerpt(cue.text),
    )


@dataclass(frozen=True, kw_only=True, slots=True)
class EvidenceIssue:
    """One problem with one piece of evidence: a code and its values, so callers can say it in the
    reader's language (``shinsa.review.actions.decisions`` does); ``english()`` for logs and tests."""

    number: int  # 1-based position of the evidence
    code: str
    values: tuple[tuple[str, Any], ...] = ()

    def english(self) -> str:
        return f"evidence {self.number}: " + _ENGLISH[self.code].format(**dict(self.values))


_ENGLISH = {
    "unknown_kind": "unknown kind {kind!r} (use " + ", ".join(KINDS) + ")",
    "range_needs_times": "a time range needs start_ms and end_ms",
    "negative_start": "start_ms cannot be negative",
    "end_before_start": "end_ms must be after start_ms",
    "frame_shape": "a frame needs one start_ms of 0 or more and no end_ms",
    "cue_index": "a subtitle cue needs its cue_index",
    "note_shape": "a note needs text and no times",
    "past_end": "{at} ms is past the end of the media ({duration} ms)",
}


def evidence_issues(rows: list[EvidenceRow], *, duration_ms: dict[int, int]) -> list[EvidenceIssue]:
    """Every problem of ``rows``. ``duration_ms`` maps asset ids to their known durations: a time range
    or frame must lie within it."""
    issues: list[EvidenceIssue] = []
    for number, row in enumerate(rows, start=1):

        def issue(code: str, number: int = number, **values: Any) -> None:
            issues.append(EvidenceIssue(number=number, code=code, values=tuple(sorted(values.items()))))

        if row.kind not in KINDS:
            issue("unknown_kind", kind=row.kind)
            continue
        if row.kind == "time_range":
            if row.start_ms is None or row.end_ms is None:
                issue("range_needs_times")
                continue
            if row.start_ms < 0:
                issue("negative_start")
            if row.end_ms <= row.start_ms:
                issue("end_before_start", start=row.start_ms, end=row.end_ms)
        elif row.kind == "frame":
            if row.start_ms is None or row.start_ms < 0 or row.end_ms is not None:
                issue("frame_shape")
                continue
        elif row.kind == "subtitle_cue":
            if row.cue_index is None or row.cue_index < 0:
                issue("cue_index")
            if row.start_ms is not None and row.end_ms is not None and row.end_ms <= row.start_ms:
                issue("end_before_start", start=row.start_ms, end=row.end_ms)
        elif not row.note.strip() or row.start_ms is not None or row.end_ms is not None:
            issue("note_shape")
        if row.kind in ("time_range", "frame") and row.asset_id is not None and row.asset_id in duration_ms:
            last = row.end_ms if row.end_ms is not None else row.start_ms
            if last is not None and last > duration_ms[row.asset_id]:
                issue("past_end", at=last, duration=duration_ms[row.asset_id])
    return issues


def evidence_problems(rows: list[EvidenceRow], *, duration_ms: dict[int, int]) -> list[str]:
    """The problems of ``rows`` as English sentences (``evidence_issues`` for translated ones)."""
    return [issue.english() for issue in evidence_issues(rows, duration_ms=duration_ms)]
