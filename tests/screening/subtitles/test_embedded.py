"""Text subtitle streams inside real MP4 and Matroska files our encoder writes: probed, read into cues
with exact times and text, encodings detected, bitmap streams listed, hostile packets and files."""

from __future__ import annotations

from pathlib import Path

import pytest

from shinsa.media.errors import MediaError, MediaProblem
from shinsa.media.probe import probe
from shinsa.media.synthetic import ClipSpec, Cue, Scene, SubtitleStreamSpec, encode_clip
from shinsa.screening.subtitles.embedded import read_embedded_subtitles
from shinsa.screening.subtitles.errors import StreamNote

pytestmark = pytest.mark.media

JA = (
    Cue(500, 1750, "おはよう、みんな。"),
    Cue(2000, 3250, "お前を殺してやる！"),
    Cue(3500, 3990, "{\\i1}冗談だよ{\\i0}。"),
)
EN = (Cue(250, 1000, "<i>Good</i> morning."), Cue(1100, 2100, "I will kill you,\nI swear."))
SCENES = (Scene(frames=48, hue=0.1), Scene(frames=48, hue=0.6))


def _clip(path: Path, *streams: SubtitleStreamSpec) -> Path:
    return encode_clip(ClipSpec(scenes=SCENES, subtitle_streams=streams), path).path


def _timed(result) -> list[tuple[int, int, str]]:
    return [(cue.start_ms, cue.end_ms, cue.text) for cue in result.track.cues]


def test_mp4_mov_text_streams_are_probed_and_read_with_exact_times(tmp_path):
    path = _clip(
        tmp_path / "film.mp4",
        SubtitleStreamSpec(codec="mov_text", cues=JA[:2], language="jpn", title="日本語字幕"),
        SubtitleStreamSpec(codec="mov_text", cues=(Cue(250, 1000, "Good morning."),), language="eng"),
    )
    tracks = probe(path).subtitle_tracks
    assert [(t.index, t.codec, t.language, t.title, t.kind) for t in tracks] == [
        (2, "mov_text", "jpn", "日本語字幕", "text"),
        (3, "mov_text", "eng", None, "text"),  # FFmpeg's default handler name is not a title
    ]
    ja, en = read_embedded_subtitles(path)
    assert (ja.stream, ja.note, ja.unreadable) == (tracks[0], None, 0)
    assert (ja.track.format, ja.track.encoding) == ("mov_text", "utf-8")
    # the empty samples mov_text writes between cues are gaps, not cues
    assert _timed(ja) == [(500, 1750, "おはよう、みんな。"), (2000, 3250, "お前を殺してやる！")]
    assert _timed(en) == [(250, 1000, "Good morning.")]


def test_matroska_srt_ass_and_webvtt_keep_markup_for_display_and_strip_it_for_screening(tmp_path):
    path = _clip(
        tmp_path / "film.mkv",
        SubtitleStreamSpec(codec="ass", cues=JA, language="jpn"),
        SubtitleStreamSpec(codec="subrip", cues=EN, language="eng", title="English SDH"),
        SubtitleStreamSpec(codec="webvtt", cues=(Cue(100, 900, "Tom &amp; <b>Jerry</b>"),)),
    )
    ass, srt, vtt = read_embedded_subtitles(path)
    assert [(s.stream.codec, s.stream.language, s.stream.title) for s in (ass, srt, vtt)] == [
        ("ssa", "jpn", None),
        ("srt", "eng", "English SDH"),
        ("webvtt", None, None),
    ]
    assert _timed(ass) == [
        (500, 1750, "おはよう、みんな。"),
        (2000, 3250, "お前を殺してやる！"),
        (3500, 3990, "冗談だよ。"),
    ]
    assert ass.track.cues[2].markup == "<i>冗談だよ</i>。"
    assert _timed(srt) == [(250, 1000, "Good morning."), (1100, 2100, "I will kill you,\nI swear.")]
    assert srt.track.cues[0].markup == "<i>Good</i> morning."
    assert _timed(vtt) == [(100, 900, "Tom & Jerry")] and vtt.track.cues[0].markup == "Tom &amp; <b>Jerry</b>"


def test_a_cp932_stream_is_detected_like_a_subtitle_file(tmp_path):
    path = _clip(
        tmp_path / "legacy.mkv",
        SubtitleStreamSpec(codec="subrip", cues=JA[:2], language="jpn", encoding="cp932"),
    )
    (stream,) = read_embedded_subtitles(path)
    assert stream.track.encoding == "cp932" and stream.unreadable == 0
    assert _timed(stream) == [(500, 1750, "おはよう、みんな。"), (2000, 3250, "お前を殺してやる！")]


def test_bitmap_streams_are_listed_and_noted_not_read(tmp_path):
    path = _clip(
        tmp_path / "pgs.mkv",
        SubtitleStreamSpec(codec="subrip", cues=EN, language="eng"),
        SubtitleStreamSpec(
            codec="hdmv_pgs_subtitle", cues=(), language="jpn", raw_payloads=(b"\x16\x00\x00\x00",)
        ),
    )
    assert [t.kind for t in probe(path).subtitle_tracks] == ["text", "bitmap"]
    text, bitmap = read_embedded_subtitles(path)
    assert text.note is None and len(text.track.cues) == 2
    assert (bitmap.stream.codec, bitmap.track, bitmap.note) == ("pgssub", None, StreamNote.BITMAP)


def test_garbage_packets_are_skipped_and_counted_while_the_rest_is_read(tmp_path):
    path = _clip(
        tmp_path / "garbage.mkv",
        SubtitleStreamSpec(
            codec="subrip", cues=EN, language="eng", raw_payloads=(b"\xff\xfe\x00\x81garbage\x00\x9f",)
        ),
        SubtitleStreamSpec(codec="subrip", cues=(), raw_payloads=(b"\x00\x01\x02\x03", b"\xff\x00\xfe")),
    )
    mixed, only_garbage = read_embedded_subtitles(path)
    assert mixed.unreadable == 1 and [c.text for c in mixed.track.cues] == [
        "Good morning.",
        "I will kill you,\nI swear.",
    ]
    assert (only_garbage.track, only_garbage.note, only_garbage.unreadable) == (None, StreamNote.NO_CUES, 2)


def test_a_mov_text_sample_whose_length_runs_past_its_end_is_unreadable(tmp_path):
    path = _clip(
        tmp_path / "lying.mp4",
        SubtitleStreamSpec(codec="mov_text", cues=EN[:1], raw_payloads=(b"\x7f\xffshort",)),
    )
    (stream,) = read_embedded_subtitles(path)
    # mov_text has no markup in its text: what looks like a tag is shown as written
    assert stream.unreadable == 1 and [c.text for c in stream.track.cues] == ["<i>Good</i> morning."]


def test_a_stream_over_the_size_limit_is_noted_not_read(tmp_path):
    path = _clip(tmp_path / "big.mkv", SubtitleStreamSpec(codec="subrip", cues=EN))
    (stream,) = read_embedded_subtitles(path, max_bytes=20)
    assert (stream.track, stream.note) == (None, StreamNote.TOO_LARGE)
    (whole,) = read_embedded_subtitles(path, max_bytes=1000)
    assert whole.note is None


def test_a_video_without_subtitle_streams_has_none(tmp_path):
    assert read_embedded_subtitles(_clip(tmp_path / "plain.mp4")) == ()


@pytest.mark.parametrize(("name", "codec"), [("cut.mp4", "mov_text"), ("cut.mkv", "subrip")])
@pytest.mark.parametrize("kept", [0.3, 0.97])
def test_a_truncated_container_is_one_media_error_not_fewer_cues(tmp_path, name, codec, kept):
    whole = _clip(tmp_path / f"whole-{name}", SubtitleStreamSpec(codec=codec, cues=EN))
    data = whole.read_bytes()
    cut = tmp_path / name
    cut.write_bytes(data[: int(len(data) * kept)])
    with pytest.raises(MediaError) as caught:
        read_embedded_subtitles(cut)
    assert caught.value.kind == MediaProblem.TRUNCATED and caught.value.path == cut
    assert "\n" not in str(caught.value)


def test_not_media_is_a_media_error(tmp_path):
    path = tmp_path / "notes.mkv"
    path.write_bytes(b"this is not a video at all\n" * 10)
    with pytest.raises(MediaError) as caught:
        read_embedded_subtitles(path)
    assert caught.value.kind == MediaProblem.NOT_MEDIA


def test_a_garbage_packet_cannot_hide_a_cp932_stream(tmp_path):
    path = _clip(
        tmp_path / "planted.mkv",
        SubtitleStreamSpec(
            codec="subrip", cues=JA[:2], encoding="cp932", raw_payloads=(b"\x00\xff\x00", b"\x81\x00\x9f")
        ),
    )
    (stream,) = read_embedded_subtitles(path)
    assert (stream.track.encoding, stream.unreadable) == ("cp932", 2)
    assert [c.text for c in stream.track.cues] == ["おはよう、みんな。", "お前を殺してやる！"]
