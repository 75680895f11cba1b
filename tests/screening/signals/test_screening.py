"""``screen_file``: the kind of file from its content, every enabled signal on it, frame hits merged."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PIL import Image

from shinsa.media.errors import MediaError, MediaProblem
from shinsa.media.synthetic import ClipSpec, Scene, encode_clip
from shinsa.policy.schemas import Severity
from shinsa.screening.hashing.digests import file_digests
from shinsa.screening.hashing.pdq import pdq_of_image_file
from shinsa.screening.hashing.vpdq import vpdq_of_video_file
from shinsa.screening.signals import InputKind, KnownHash
from shinsa.screening.signals.screening import UnknownFileKind, screen_file
from shinsa.screening.subtitles import Reason, SubtitleError
from tests.screening.signals.conftest import SRT, textured_rgb

TWO_SCENES = ClipSpec(
    scenes=(Scene(frames=96, hue=0.05, texture=3), Scene(frames=72, hue=0.55, texture=11)),
    width=320,
    height=180,
)


def known(signal: str, value: str, label: str = "bank:1") -> dict[str, list[KnownHash]]:
    return {signal: [KnownHash(value=value, policy_area="violence", severity=Severity.HIGH, label=label)]}


def test_it_screens_a_subtitle_file_with_the_cue_times(tmp_path, context):
    path = tmp_path / "film.srt"
    path.write_text(SRT, encoding="utf-8")
    result = screen_file(path, context)
    assert result.kind is InputKind.SUBTITLE and result.duration_s is None and result.skipped == ()
    (hit,) = result.hits
    assert (hit.signal, hit.policy_area, hit.start_ms, hit.end_ms) == ("text_lexicon", "violence", 1000, 3500)
    assert hit.detail["text"] == "k1ll you" and hit.detail["cue_index"] == 0


def test_it_matches_an_image_by_pdq_and_by_its_bytes(tmp_path, context):
    path = tmp_path / "poster.png"
    Image.fromarray(textured_rgb(5)).save(path)
    near = tmp_path / "poster-small.jpg"
    Image.fromarray(textured_rgb(5)).resize((120, 90)).save(near, quality=80)
    digests = file_digests(path)
    planted = replace(
        context,
        known={
            **known("pdq", pdq_of_image_file(path).hex),
            **known("md5", digests.md5),
            **known("sha256", digests.sha256.upper()),
        },
    )
    result = screen_file(path, planted)
    assert result.kind is InputKind.IMAGE
    assert sorted(hit.signal for hit in result.hits) == ["md5", "pdq", "sha256"]
    assert all(hit.start_ms is None for hit in result.hits)
    # A resized JPEG of the same picture still matches by PDQ, no longer by its bytes.
    (near_hit,) = screen_file(near, planted).hits
    assert near_hit.signal == "pdq" and 0 < near_hit.detail["distance"] <= 31


def test_it_runs_only_enabled_signals(tmp_path, context):
    path = tmp_path / "poster.png"
    Image.fromarray(textured_rgb(5)).save(path)
    enabled = {**context.settings.enabled, "md5": False, "classifier": False}
    planted = replace(
        context,
        settings=replace(context.settings, enabled=enabled),
        known=known("md5", file_digests(path).md5),
    )
    result = screen_file(path, planted)
    assert result.hits == () and result.skipped == ()


def test_it_names_text_that_is_no_subtitle_and_reports_a_broken_subtitle(tmp_path, context):
    plain = tmp_path / "notes.txt"
    plain.write_text("just some notes\n", encoding="utf-8")
    with pytest.raises(UnknownFileKind):
        screen_file(plain, context)
    broken = tmp_path / "broken.srt"
    broken.write_text("1\n00:00:01,000 --> soon\nHello\n", encoding="utf-8")
    with pytest.raises(SubtitleError) as raised:
        screen_file(broken, context)
    assert raised.value.reason is Reason.BAD_TIMING


def test_it_reports_an_empty_file_as_media_error(tmp_path, context):
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    with pytest.raises(MediaError) as raised:
        screen_file(empty, context)
    assert raised.value.kind is MediaProblem.EMPTY


@pytest.mark.media
def test_it_merges_the_frames_of_a_matching_scene_into_one_segment(tmp_path, context):
    clip = encode_clip(TWO_SCENES, tmp_path / "two.mp4")
    # A bank entry holding the first scene's frames (the disc moves: frames a second apart differ).
    scene_one = [f for f in vpdq_of_video_file(clip.path) if f.frame_index < clip.cut_frames[0]]
    entries = [
        KnownHash(value=f.pdq, policy_area="violence", severity=Severity.HIGH, label="bank:scene-one")
        for f in scene_one
    ]
    planted = replace(context, known={"pdq": entries})
    result = screen_file(clip.path, planted)
    assert result.kind is InputKind.VIDEO
    assert result.duration_s == pytest.approx(clip.duration_ms / 1000, abs=0.05)
    (segment,) = result.hits
    assert segment.signal == "pdq" and segment.detail["label"] == "bank:scene-one"
    # Frames at 0, 1, 2 and 3 s show the first scene; the second starts with a cut at frame 96.
    assert (segment.start_ms, segment.end_ms) == (0, clip.cut_times_ms[0])
    assert segment.detail["frames"] == 4


@pytest.mark.media
def test_it_screens_a_video_without_known_hashes_to_no_hits(tmp_path, context):
    clip = encode_clip(TWO_SCENES, tmp_path / "two.mp4")
    result = screen_file(clip.path, context)
    assert result.hits == ()
    assert result.as_json()["duration_s"] == result.duration_s
