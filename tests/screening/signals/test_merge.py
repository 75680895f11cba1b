"""Consecutive frame hits of one signal merge into one segment (the pure merge function)."""

from __future__ import annotations

from shinsa.screening.signals import SignalHit, merge_frame_hits


def frame_hit(
    start_ms, end_ms, *, signal="classifier", label="A", score=0.5, severity="medium", area="sexual_content"
):
    return SignalHit(
        signal=signal,
        policy_area=area,
        severity=severity,
        score=score,
        start_ms=start_ms,
        end_ms=end_ms,
        detail={"label": label, "box": [start_ms, 0, 1, 1]},
    )


def spans(hits):
    return [
        (hit.signal, hit.detail["label"], hit.start_ms, hit.end_ms, hit.detail.get("frames")) for hit in hits
    ]


def test_it_merges_hits_of_consecutive_sampled_frames_into_one_segment():
    hits = [frame_hit(2000, 3000), frame_hit(0, 1000), frame_hit(1000, 2000, score=0.9, severity="high")]
    (merged,) = merge_frame_hits(hits)
    assert (merged.start_ms, merged.end_ms) == (0, 3000)
    assert merged.score == 0.9 and merged.severity == "high"
    assert merged.detail == {"label": "A", "box": [0, 0, 1, 1], "frames": 3}


def test_it_ends_a_segment_at_a_sampled_frame_without_the_hit():
    hits = [frame_hit(0, 1000), frame_hit(1000, 2000), frame_hit(3000, 4000)]
    assert spans(merge_frame_hits(hits)) == [
        ("classifier", "A", 0, 2000, 2),
        ("classifier", "A", 3000, 4000, None),
    ]


def test_it_keeps_signals_labels_and_areas_apart():
    hits = [
        frame_hit(0, 1000),
        frame_hit(1000, 2000, label="B"),
        frame_hit(1000, 2000, signal="pdq"),
        frame_hit(1000, 2000, area="violence"),
    ]
    merged = merge_frame_hits(hits)
    assert len(merged) == 4 and all(hit.detail.get("frames") is None for hit in merged)


def test_it_merges_overlapping_scene_cut_frames_and_leaves_untimed_hits_alone():
    # A scene-cut frame sampled between two interval frames overlaps the earlier span.
    untimed = SignalHit(
        signal="md5", policy_area="violence", severity="high", score=1.0, start_ms=None, end_ms=None
    )
    hits = [frame_hit(0, 1000), frame_hit(400, 1000), frame_hit(1000, 1500), untimed]
    merged = merge_frame_hits(hits)
    assert merged[0] is untimed
    assert spans(merged[1:]) == [("classifier", "A", 0, 1500, 3)]


def test_it_returns_nothing_for_nothing():
    assert merge_frame_hits([]) == []
