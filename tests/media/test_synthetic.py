"""shinsa.media.synthetic: clips that really decode, with the scene cuts where they are said to be."""

from __future__ import annotations

from fractions import Fraction

import av
import numpy as np
import pytest
from PIL import Image

from shinsa.media.synthetic import (
    ClipSpec,
    Cue,
    Scene,
    draw_poster,
    encode_clip,
    format_ass,
    format_srt,
    format_webvtt,
    frame_time_ms,
    write_text,
)

SPEC = ClipSpec(
    scenes=(
        Scene(frames=40, hue=0.1, caption="One"),
        Scene(frames=25, hue=0.47, tone_hz=550),
        Scene(frames=31, hue=0.84, caption="Three", tone_hz=660),
    ),
    fps=Fraction(24000, 1001),
)


def decoded_frames(path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [frame.to_ndarray(format="rgb24").astype(np.int16) for frame in container.decode(video=0)]


@pytest.mark.media
def test_it_encodes_an_h264_aac_clip_with_the_expected_frames_and_duration(tmp_path):
    clip = encode_clip(SPEC, tmp_path / "clip.mp4")

    assert (clip.frame_count, clip.cut_frames) == (96, (40, 65))
    assert clip.duration_ms == 4004 and clip.cut_times_ms == (1668, 2711)
    with av.open(str(clip.path)) as container:
        video, audio = container.streams.video[0], container.streams.audio[0]
        assert (video.codec_context.name, video.width, video.height) == ("h264", 320, 180)
        assert video.average_rate == Fraction(24000, 1001)
        assert video.frames == 96 and float(video.duration * video.time_base) == pytest.approx(4.004)
        assert (audio.codec_context.name, audio.sample_rate) == ("aac", 48_000)
        assert float(audio.duration * audio.time_base) == pytest.approx(4.004, abs=0.03)
    assert len(decoded_frames(clip.path)) == 96


@pytest.mark.media
def test_it_puts_the_scene_cuts_exactly_at_the_frames_it_returns(tmp_path):
    clip = encode_clip(SPEC, tmp_path / "clip.mp4")
    frames = decoded_frames(clip.path)

    # Mean absolute difference between each frame and the one before it.
    change = np.array([np.abs(frames[i] - frames[i - 1]).mean() for i in range(1, len(frames))])
    cuts = {int(i) + 1 for i in np.argsort(change)[-len(clip.cut_frames) :]}
    assert cuts == set(clip.cut_frames)
    within_scenes = np.delete(change, [c - 1 for c in clip.cut_frames])
    assert change[[c - 1 for c in clip.cut_frames]].min() > 5 * within_scenes.max()


@pytest.mark.media
def test_it_writes_the_same_bytes_every_time(tmp_path):
    first = encode_clip(SPEC, tmp_path / "a.mp4").path.read_bytes()
    second = encode_clip(SPEC, tmp_path / "b.mp4").path.read_bytes()
    assert first == second


def test_it_draws_posters_as_png_or_jpeg_after_the_suffix(tmp_path):
    png = draw_poster(tmp_path / "p.png", title="The Iron Castle", hue=0.6)
    jpeg = draw_poster(tmp_path / "p.jpg", title="The Iron Castle", hue=0.6, size=(300, 450))
    with Image.open(png) as image:
        assert (image.format, image.size) == ("PNG", (240, 360))
    with Image.open(jpeg) as image:
        assert (image.format, image.size) == ("JPEG", (300, 450))


CUES = [Cue(200, 1800, "ただいま。"), Cue(3_723_004, 3_725_000, "line one\nline two")]


def test_it_formats_srt_webvtt_and_ass_timecodes():
    assert format_srt(CUES) == (
        "1\n00:00:00,200 --> 00:00:01,800\nただいま。\n\n"
        "2\n01:02:03,004 --> 01:02:05,000\nline one\nline two\n"
    )
    assert format_webvtt(CUES).startswith("WEBVTT\n\n00:00:00.200 --> 00:00:01.800\nただいま。\n")
    ass = format_ass(CUES, title="t")
    assert "Dialogue: 0,0:00:00.20,0:00:01.80,Default,,0,0,0,,ただいま。\n" in ass
    assert "Dialogue: 0,1:02:03.00,1:02:05.00,Default,,0,0,0,,line one\\Nline two\n" in ass


def test_it_writes_cp932_strictly_and_refuses_what_cp932_cannot_hold(tmp_path):
    path = write_text(tmp_path / "a.srt", "「誰か」①\n", encoding="cp932", crlf=True)
    assert path.read_bytes() == "「誰か」①\r\n".encode("cp932")
    with pytest.raises(UnicodeEncodeError):
        write_text(tmp_path / "b.srt", "♬", encoding="cp932")


def test_it_rounds_frame_times_down_to_whole_milliseconds():
    assert [frame_time_ms(i, Fraction(24000, 1001)) for i in (0, 1, 24, 144)] == [0, 41, 1001, 6006]
    assert frame_time_ms(50, Fraction(25)) == 2000
