"""shinsa.media.probe: exact facts about real clips, and one typed error for each way a file is bad."""

from __future__ import annotations

from fractions import Fraction

import pytest

from shinsa.media.errors import MediaError, MediaProblem
from shinsa.media.probe import probe
from tests.media.conftest import cut_to

pytestmark = pytest.mark.media


def test_it_reads_the_exact_rate_duration_codec_and_audio_track_of_a_film_clip(film_clip):
    info = probe(film_clip.path)

    assert info.container.startswith("mov,mp4")
    assert info.duration_ms == 4004 and info.size_bytes == film_clip.path.stat().st_size
    video = info.video
    assert (video.codec, video.width, video.height, video.pixel_format) == ("h264", 320, 180, "yuv420p")
    assert video.frame_rate == Fraction(24000, 1001) and isinstance(video.frame_rate, Fraction)
    assert video.time_base == Fraction(1, 24000) and video.start_pts == 0
    assert (video.frame_count, video.duration_ms, video.rotation) == (96, 4004, 0)
    (audio,) = info.audio_tracks
    assert (audio.codec, audio.channels, audio.sample_rate, audio.language) == ("aac", 1, 48_000, "jpn")
    assert audio.duration_ms == pytest.approx(4004, abs=30)
    assert info.subtitle_tracks == ()


def test_it_reads_whole_and_ntsc_rates_exactly(pal_clip, ntsc_clip):
    assert probe(pal_clip.path).video.frame_rate == Fraction(25)
    assert probe(ntsc_clip.path).video.frame_rate == Fraction(30000, 1001)
    assert probe(pal_clip.path).duration_ms == pal_clip.duration_ms == 10_000


def test_it_reads_the_display_rotation(rotated_clip):
    assert probe(rotated_clip.path).video.rotation == 90


def test_it_reads_matroska_and_leaves_untagged_audio_without_a_language(matroska_clip, pal_clip):
    info = probe(matroska_clip)
    assert info.container == "matroska,webm" and info.video.codec == "h264"
    assert info.duration_ms == pytest.approx(4004, abs=50)
    assert probe(pal_clip.path).audio_tracks[0].language is None


def test_it_describes_an_audio_only_file_without_video(audio_only):
    info = probe(audio_only)
    assert info.video is None and info.video_tracks == ()
    assert info.audio_tracks[0].codec == "aac"


def problem_of(path) -> MediaError:
    with pytest.raises(MediaError) as caught:
        probe(path)
    assert caught.value.path == path
    return caught.value


def test_it_calls_a_zero_length_file_empty(tmp_path):
    empty = tmp_path / "empty.mp4"
    empty.touch()
    assert problem_of(empty).kind is MediaProblem.EMPTY


def test_it_calls_an_mp4_cut_before_its_index_truncated(film_clip, tmp_path):
    # The encoder writes the index (moov) last, so any cut loses it.
    error = problem_of(cut_to(film_clip.path, tmp_path / "cut.mp4", 0.6))
    assert error.kind is MediaProblem.TRUNCATED and "moov" in error.detail


def test_it_calls_a_faststart_mp4_cut_in_its_media_data_truncated(faststart_clip, tmp_path):
    # The index survives, but it points past the end of the file.
    error = problem_of(cut_to(faststart_clip, tmp_path / "cut.mp4", 0.5))
    assert error.kind is MediaProblem.TRUNCATED and "past the end" in error.detail


@pytest.mark.parametrize("kept", [0.3, 0.9, 0.99])
def test_it_calls_a_matroska_file_cut_anywhere_truncated(matroska_clip, tmp_path, kept):
    # FFmpeg reads such a file without complaint, as if it ended there; its Segment size says otherwise.
    error = problem_of(cut_to(matroska_clip, tmp_path / "cut.mkv", kept))
    assert error.kind is MediaProblem.TRUNCATED


def test_it_calls_an_mp4_cut_inside_its_trailing_index_truncated(film_clip, tmp_path):
    # A cut in the last boxes of moov can leave FFmpeg opening the file with fewer streams.
    assert problem_of(cut_to(film_clip.path, tmp_path / "cut.mp4", 0.995)).kind is MediaProblem.TRUNCATED


def test_it_lists_subtitle_streams_as_text_or_bitmap_with_language_and_title(tmp_path):
    from shinsa.media.synthetic import ClipSpec, Cue, Scene, SubtitleStreamSpec, encode_clip

    streams = (
        SubtitleStreamSpec(codec="subrip", cues=(Cue(0, 500, "Hi"),), language="eng", title="English"),
        SubtitleStreamSpec(codec="hdmv_pgs_subtitle", cues=(), language="jpn", raw_payloads=(b"\x16",)),
    )
    clip = encode_clip(
        ClipSpec(scenes=(Scene(frames=24, hue=0.2),), subtitle_streams=streams), tmp_path / "s.mkv"
    )
    tracks = probe(clip.path).subtitle_tracks
    assert [(t.index, t.codec, t.language, t.title, t.kind) for t in tracks] == [
        (2, "srt", "eng", "English", "text"),
        (3, "pgssub", "jpn", None, "bitmap"),
    ]


def test_it_calls_random_bytes_not_media(tmp_path):
    garbage = tmp_path / "garbage.mp4"
    garbage.write_bytes(bytes((i * 7919 + 3) % 251 for i in range(20_000)))
    assert problem_of(garbage).kind is MediaProblem.NOT_MEDIA


def test_it_calls_a_text_file_renamed_to_mp4_not_media(tmp_path):
    text = tmp_path / "notes.mp4"
    text.write_text("This is a delivery note, not a video.\n" * 40)
    assert problem_of(text).kind is MediaProblem.NOT_MEDIA


def test_it_calls_a_broken_box_structure_after_an_mp4_signature_corrupt(film_clip, tmp_path):
    data = bytearray(film_clip.path.read_bytes())
    data[32:40] = b"\x00\x00\x00\x03junk"  # a box too small to be one: not a cut, a damaged file
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(bytes(data))
    assert problem_of(broken).kind is MediaProblem.CORRUPT


def test_it_calls_a_missing_path_or_a_folder_missing(tmp_path):
    assert problem_of(tmp_path / "nowhere.mp4").kind is MediaProblem.MISSING
    assert problem_of(tmp_path).kind is MediaProblem.MISSING


def test_it_refuses_a_playlist_that_would_open_other_files(film_clip, tmp_path):
    playlist = tmp_path / "list.m3u8"
    playlist.write_text(
        f"#EXTM3U\n#EXT-X-TARGETDURATION:5\n#EXTINF:4,\nfile:{film_clip.path}\n#EXT-X-ENDLIST\n"
    )
    assert problem_of(playlist).kind is MediaProblem.UNSUPPORTED


def test_it_refuses_an_image_which_is_not_audio_or_video(tmp_path):
    from PIL import Image

    picture = tmp_path / "poster.png"
    Image.new("RGB", (64, 48), (200, 10, 10)).save(picture)
    assert problem_of(picture).kind is MediaProblem.UNSUPPORTED
