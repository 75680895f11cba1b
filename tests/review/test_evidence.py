"""Evidence validation (pure)."""

from __future__ import annotations

import pytest

from shinsa.review.evidence import (
    CUE_EXCERPT_CHARS,
    CueText,
    EvidenceRow,
    evidence_problems,
    subtitle_cue_row,
)


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


CUES = [CueText(0, 900, "こんにちは。"), CueText(1000, 1900, "お前を\n殺してやる！")]


def test_a_picked_cue_becomes_evidence_with_its_file_times_and_text():
    row = subtitle_cue_row(asset_id=4, asset_version_id=9, cue_index=1, cues=CUES)
    assert row == EvidenceRow(
        kind="subtitle_cue",
        asset_id=4,
        asset_version_id=9,
        cue_index=1,
        start_ms=1000,
        end_ms=1900,
        note="お前を 殺してやる！",
    )
    assert evidence_problems([row], duration_ms={}) == []


@pytest.mark.parametrize("index", [2, -1, 10**6])
def test_a_cue_the_file_does_not_have_is_no_evidence(index):
    assert subtitle_cue_row(asset_id=4, asset_version_id=9, cue_index=index, cues=CUES) is None


def test_a_long_cue_is_cut_to_an_excerpt():
    long = CueText(0, 1000, "あ" * (CUE_EXCERPT_CHARS + 50))
    row = subtitle_cue_row(asset_id=1, asset_version_id=1, cue_index=0, cues=[long])
    assert len(row.note) == CUE_EXCERPT_CHARS and row.note.endswith("…")


def test_a_cue_whose_times_are_reversed_is_refused():
    row = EvidenceRow(kind="subtitle_cue", cue_index=0, start_ms=2000, end_ms=1000)
    assert "end_ms must be after start_ms" in evidence_problems([row], duration_ms={})[0]


def test_it_takes_the_asset_version_from_a_dict():
    row = EvidenceRow.from_dict({"kind": "subtitle_cue", "asset_version_id": 3, "cue_index": 0})
    assert row.asset_version_id == 3
