"""Frame snapping on real frame times, and splits grouped by title (pure)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from shinsa.labeling.snapping import FrameTimes, frame_times_from_pts, frame_times_ms
from shinsa.labeling.splits import TEST, TRAIN, assign_splits, split_of
from shinsa.media.synthetic import ClipSpec, Scene, encode_clip, frame_time_ms

FILM = FrameTimes(starts_ms=(0, 41, 83, 125, 166), end_ms=208)


def test_it_snaps_a_start_down_and_an_end_up_to_frame_boundaries():
    assert FILM.snap_range(50, 90) == (41, 125)
    assert FILM.snap_range(41, 83) == (41, 83)
    assert FILM.snap_range(200, 500) == (166, 208)


def test_it_keeps_a_segment_at_least_one_frame_long():
    assert FILM.snap_range(84, 84) == (83, 125)


def test_it_steps_by_frames_and_clamps_to_the_video():
    assert FILM.step(50, +1) == 83
    assert FILM.step(50, -1) == 0
    assert FILM.step(0, -3) == 0
    assert FILM.step(166, +1) == 208


def test_it_orders_out_of_order_timestamps_and_subtracts_the_stream_start():
    times = frame_times_from_pts([3003, 1001, 2002], Fraction(1, 24000), start_pts=1001, last_duration=1001)
    assert times.starts_ms == (0, 41, 83)
    assert times.end_ms == 125


@pytest.mark.media
def test_it_reads_real_frame_times_from_an_encoded_clip(tmp_path):
    clip = encode_clip(
        ClipSpec(scenes=(Scene(frames=10, hue=0.1), Scene(frames=10, hue=0.6))), tmp_path / "c.mp4"
    )
    times = frame_times_ms(clip.path)
    assert times.starts_ms == tuple(frame_time_ms(i, clip.fps) for i in range(clip.frame_count))
    assert times.end_ms == clip.duration_ms


def test_it_never_puts_one_title_in_both_splits():
    items = [(f"series-{n % 25}", f"ep-{n}") for n in range(400)]
    splits = assign_splits((group for group, _ in items), test_fraction=0.3, seed="p")
    seen: dict[str, set[str]] = {}
    for group, _ in items:
        seen.setdefault(group, set()).add(splits[group])
    assert all(len(s) == 1 for s in seen.values())
    assert {TRAIN, TEST} == set(splits.values())


def test_it_keeps_a_title_in_its_split_as_titles_are_added():
    before = {g: split_of(g, test_fraction=0.2, seed="s") for g in (f"t{i}" for i in range(50))}
    after = assign_splits([f"t{i}" for i in range(200)], test_fraction=0.2, seed="s")
    assert all(after[g] == split for g, split in before.items())
    share = sum(s == TEST for s in after.values()) / len(after)
    assert 0.1 < share < 0.3


def test_it_refuses_a_share_outside_zero_to_one():
    with pytest.raises(ValueError):
        split_of("x", test_fraction=1.5)
