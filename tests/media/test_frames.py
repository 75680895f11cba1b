"""shinsa.media.frames: one pass, frames by presentation time, scene cuts where the encoder put them."""

from __future__ import annotations

from fractions import Fraction

import av
import numpy as np
import pytest

from shinsa.media.errors import MediaError, MediaProblem
from shinsa.media.frames import SamplingPlan, VideoScan, pdq_friendly_size, upright_rgb
from tests.media.conftest import cut_to, damaged, remux

pytestmark = pytest.mark.media


def scan(path, **plan) -> tuple[VideoScan, list]:
    video = VideoScan(path, SamplingPlan(**plan))
    return video, list(video)


def test_it_samples_the_first_frame_at_or_after_each_whole_second_at_24000_1001(film_clip):
    video, frames = scan(film_clip.path, at_scene_cuts=False)

    # Frame n starts at n * 1001/24000 s: frame 24 is the first at or after 1 s (1.001 s), and so on.
    assert [f.index for f in frames] == [0, 24, 48, 72]
    assert [f.time for f in frames] == [Fraction(n * 1001, 24000) for n in (0, 24, 48, 72)]
    assert [f.pts_ms for f in frames] == [0, 1001, 2002, 3003]
    assert all(f.at_interval and f.scene_cut is None for f in frames)
    assert video.frames_decoded == 96 and video.end_ms == 4004 and video.scene_cuts == []


def test_it_samples_at_any_interval_by_time_not_by_frame_count(film_clip, pal_clip):
    _, frames = scan(film_clip.path, sample_every_ms=500, at_scene_cuts=False)
    # 0.5 s falls between frames 11 (0.4588 s) and 12 (0.5005 s).
    assert [f.index for f in frames] == [0, 12, 24, 36, 48, 60, 72, 84]
    _, frames = scan(pal_clip.path, sample_every_ms=2000, at_scene_cuts=False)
    assert [f.index for f in frames] == [0, 50, 100, 150, 200]


def test_it_finds_every_scene_cut_within_one_frame_and_no_other(film_clip, pal_clip, ntsc_clip):
    for clip in (film_clip, pal_clip, ntsc_clip):
        video, _ = scan(clip.path)
        found = [cut.frame_index for cut in video.scene_cuts]
        assert len(found) == len(clip.cut_frames), (clip.path.name, found, clip.cut_frames)
        for cut, expected_frame, expected_ms in zip(
            video.scene_cuts, clip.cut_frames, clip.cut_times_ms, strict=True
        ):
            assert abs(cut.frame_index - expected_frame) <= 1
            assert abs(cut.pts_ms - expected_ms) <= 1000 / clip.fps


def test_it_yields_scene_cut_frames_beside_the_timed_ones(film_clip):
    video, frames = scan(film_clip.path)

    assert [(f.index, f.at_interval, f.scene_cut is not None) for f in frames] == [
        (0, True, False),
        (24, True, False),
        (40, False, True),
        (48, True, False),
        (65, False, True),
        (72, True, False),
    ]
    assert [f.scene_cut for f in frames if f.scene_cut] == video.scene_cuts


def test_it_gives_upright_rgb_frames_turned_by_the_display_rotation(film_clip, rotated_clip):
    _, plain = scan(film_clip.path, at_scene_cuts=False)
    _, turned = scan(rotated_clip.path, at_scene_cuts=False)

    assert plain[0].rgb.shape == (180, 320, 3) and turned[0].rgb.shape == (320, 180, 3)
    for a, b in zip(plain, turned, strict=True):
        # Same coded pixels; the player turns them 90 degrees counter-clockwise.
        assert np.array_equal(np.rot90(a.rgb), b.rgb)


def test_it_reduces_1080p_and_720p_frames_by_the_factor_pdq_absorbs():
    assert pdq_friendly_size(1920, 1080) == (640, 360)
    assert pdq_friendly_size(1280, 720) == (640, 360)
    assert pdq_friendly_size(1080, 1920) == (360, 640)
    # No common whole factor of PDQ's filter windows (or too small a result): the full size.
    assert pdq_friendly_size(3840, 2160) == (3840, 2160)
    assert pdq_friendly_size(1920, 800) == (1920, 800)
    assert pdq_friendly_size(320, 180) == (320, 180)

    frame = av.VideoFrame.from_ndarray(np.zeros((720, 1280, 3), np.uint8), format="rgb24")
    assert upright_rgb(frame, reduce_for_pdq=True).shape == (360, 640, 3)
    assert upright_rgb(frame, reduce_for_pdq=False).shape == (720, 1280, 3)


def test_it_calls_a_video_damaged_in_the_middle_corrupt_and_says_when(faststart_clip, tmp_path):
    broken = damaged(faststart_clip, tmp_path / "damaged.mp4", at=0.5)
    with pytest.raises(MediaError) as caught:
        list(VideoScan(broken))
    assert caught.value.kind is MediaProblem.CORRUPT and "after " in caught.value.detail


def test_it_calls_a_matroska_file_that_stops_early_truncated(matroska_clip, pal_clip, tmp_path):
    # Matroska has no index pointing past the end; the shortfall against the declared duration shows it.
    long_mkv = remux(pal_clip.path, tmp_path / "pal.mkv", format="matroska")
    short = cut_to(long_mkv, tmp_path / "short.mkv", 0.5)
    with pytest.raises(MediaError) as caught:
        list(VideoScan(short))
    assert caught.value.kind is MediaProblem.TRUNCATED and "declared 10.0" in caught.value.detail
    assert len(list(VideoScan(matroska_clip, SamplingPlan(at_scene_cuts=False)))) == 4


def test_it_refuses_a_file_without_video(audio_only):
    with pytest.raises(MediaError) as caught:
        list(VideoScan(audio_only))
    assert caught.value.kind is MediaProblem.UNSUPPORTED and caught.value.detail == "no video stream"


def test_it_refuses_a_non_positive_interval():
    with pytest.raises(ValueError):
        SamplingPlan(sample_every_ms=0)
