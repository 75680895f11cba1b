"""Evidence validation (pure)."""

from __future__ import annotations

import pytest

from shinsa.review.evidence import EvidenceRow, evidence_problems


def test_it_accepts_each_kind_of_evidence():
    rows = [
        EvidenceRow(kind="time_range", asset_id=1, start_ms=0, end_ms=1_500),
        EvidenceRow(kind="subtitle_cue", asset_id=2, cue_index=14),
        EvidenceRow(kind="frame", asset_id=1, start_ms=1_000),
        EvidenceRow(kind="note", note="slur at the start of the scene"),
    ]
    assert evidence_problems(rows, duration_ms={1: 2_000}) == []


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (EvidenceRow(kind="time_range", start_ms=500, end_ms=500), "end_ms must be after start_ms"),
        (EvidenceRow(kind="time_range", start_ms=-1, end_ms=5), "start_ms cannot be negative"),
        (EvidenceRow(kind="time_range", start_ms=1), "needs start_ms and end_ms"),
        (EvidenceRow(kind="time_range", asset_id=1, start_ms=0, end_ms=2_001), "past the end of the media"),
        (EvidenceRow(kind="frame", asset_id=1, start_ms=3_000), "past the end of the media"),
        (EvidenceRow(kind="frame", start_ms=1, end_ms=2), "a frame needs one start_ms"),
        (EvidenceRow(kind="subtitle_cue"), "needs its cue_index"),
        (EvidenceRow(kind="note", note="  "), "a note needs text"),
        (EvidenceRow(kind="sound"), "unknown kind"),
    ],
)
def test_it_names_each_problem(row, problem):
    problems = evidence_problems([row], duration_ms={1: 2_000})
    assert len(problems) == 1
    assert problems[0].startswith("evidence 1: ")
    assert problem in problems[0]


def test_it_refuses_unknown_fields():
    with pytest.raises(ValueError, match="colour"):
        EvidenceRow.from_dict({"kind": "note", "note": "x", "colour": "red"})
