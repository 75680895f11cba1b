"""Review proxies from the screening pass: probed outputs (codec, size, bitrate, faststart), the poster,
and the sprite's WebVTT index checked against the sprite's geometry."""

from __future__ import annotations

import re
from fractions import Fraction

import av
import pytest
from PIL import Image

from shinsa.media.errors import MediaError
from shinsa.media.frames import SamplingPlan, VideoScan
from shinsa.media.probe import probe
from shinsa.media.proxy import ProxyPlan, ProxyWriter, even_size, sprite_vtt, thumb_interval_ms
from shinsa.media.synthetic import ClipSpec, Scene, encode_clip

pytestmark = pytest.mark.media

# 720p, 25 fps, about 6 s with noisy texture: hard to compress, so the bitrate cap has to work.
HD = ClipSpec(
    scenes=tuple(Scene(frames=50, hue=0.2 + 0.3 * i, caption=f"Part {i}", texture=10 + i) for i in range(3)),
    width=1280,
    height=720,
    fps=Fraction(25),
    crf=1,
)
CUE = re.compile(r"^(\d\d):(\d\d):(\d\d)\.(\d{3}) --> (\d\d):(\d\d):(\d\d)\.(\d{3})$")


@pytest.fixture(scope="module")
def hd_clip(tmp_path_factory):
    return encode_clip(HD, tmp_path_factory.mktemp("proxy") / "hd.mp4")


@pytest.fixture(scope="module")
def outputs(hd_clip, tmp_path_factory):
    writer = ProxyWriter(tmp_path_factory.mktemp("out"))
    sampled = list(VideoScan(hd_clip.path, SamplingPlan(), sink=writer))
    assert sampled  # the same pass still samples frames for screening
    return writer.finish()


def _ms(h: str, m: str, s: str, ms: str) -> int:
    return ((int(h) * 60 + int(m)) * 60 + int(s)) * 1000 + int(ms)


def test_the_proxy_is_h264_aac_at_most_540p_under_the_bitrate_cap(outputs, hd_clip):
    info = probe(outputs.proxy.path)
    (video,) = info.video_tracks
    assert (video.codec, video.width, video.height) == ("h264", 960, 540)
    assert video.pixel_format == "yuv420p"
    assert abs(video.frame_count - hd_clip.frame_count) <= 1
    assert [track.codec for track in info.audio_tracks] == ["aac"]
    assert info.bit_rate <= 1_500_000
    source_rate = probe(hd_clip.path).bit_rate
    assert source_rate > 1_500_000  # the cap had real work to do
    assert abs(info.duration_ms - hd_clip.duration_ms) <= 100


def test_the_vbv_cap_holds_the_bitrate_down(hd_clip, outputs, tmp_path):
    plan = ProxyPlan(video_bit_rate=150_000, audio_bit_rate=64_000)
    writer = ProxyWriter(tmp_path / "capped", plan)
    list(VideoScan(hd_clip.path, SamplingPlan(), sink=writer))
    capped = probe(writer.finish().proxy.path).bit_rate
    seconds = hd_clip.duration_ms / 1000
    # VBV: at most the rate plus one buffer (one second's worth) over the clip; then audio and overhead
    assert capped <= 150_000 * (1 + 1 / seconds) + 64_000 + 25_000
    assert capped < probe(outputs.proxy.path).bit_rate


def _audio_packets(path) -> list[tuple[int, bytes]]:
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        return [(p.pts * stream.time_base, bytes(p)) for p in container.demux(stream) if p.size]


def _audio_end_s(path) -> float:
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        last = max(p.pts + p.duration for p in container.demux(stream) if p.size)
        return float(last * stream.time_base)


def test_low_rate_aac_is_copied_as_it_is_and_stays_in_sync(hd_clip, outputs):
    with av.open(str(hd_clip.path)) as container:
        audio = container.streams.audio[0]
        assert (audio.codec_context.name, audio.codec_context.profile) == ("aac", "LC")
        assert 0 < audio.bit_rate <= ProxyPlan().audio_bit_rate
    assert _audio_packets(outputs.proxy.path) == _audio_packets(hd_clip.path)
    assert abs(_audio_end_s(outputs.proxy.path) - _audio_end_s(hd_clip.path)) < 0.001


def test_audio_over_the_rate_is_encoded_again(hd_clip, tmp_path):
    writer = ProxyWriter(tmp_path / "encoded", ProxyPlan(audio_bit_rate=48_000))
    list(VideoScan(hd_clip.path, SamplingPlan(), sink=writer))
    proxy = writer.finish().proxy.path
    assert [track.codec for track in probe(proxy).audio_tracks] == ["aac"]
    assert [data for _, data in _audio_packets(proxy)] != [data for _, data in _audio_packets(hd_clip.path)]
    assert abs(_audio_end_s(proxy) - _audio_end_s(hd_clip.path)) < 0.1


def test_the_proxy_streams_its_index_comes_first(outputs):
    head = outputs.proxy.path.read_bytes()[:64]
    first_box_size = int.from_bytes(head[:4], "big")
    assert head[4:8] == b"ftyp" and head[first_box_size + 4 : first_box_size + 8] == b"moov"


def test_the_poster_is_a_jpeg_of_the_proxy_size(outputs):
    with Image.open(outputs.poster.path) as poster:
        assert poster.format == "JPEG" and poster.size == (960, 540)


def test_the_vtt_index_tiles_the_sprite_and_covers_the_video(outputs, hd_clip):
    text = outputs.vtt.path.read_text(encoding="utf-8")
    lines = text.split("\n")
    assert lines[0] == "WEBVTT"
    with Image.open(outputs.sprite.path) as sprite:
        assert sprite.format == "JPEG"
        width, height = sprite.size
    cues = [(CUE.match(lines[i]), lines[i + 1]) for i in range(len(lines) - 1) if CUE.match(lines[i])]
    assert len(cues) == outputs.vtt.facts["cues"] == 6  # one a second
    tiles = set()
    previous_end = 0
    for match, target in cues:
        start, end = _ms(*match.groups()[:4]), _ms(*match.groups()[4:])
        assert start == previous_end or previous_end == 0 and start == 0
        assert end > start
        previous_end = end
        name, fragment = target.split("#xywh=")
        assert name == "sprite"
        x, y, w, h = map(int, fragment.split(","))
        assert (w, h) == (160, 90) and x + w <= width and y + h <= height and x % w == 0 and y % h == 0
        tiles.add((x, y))
    assert len(tiles) == len(cues)
    assert previous_end >= hd_clip.duration_ms - 100


def test_sizes_are_even_and_never_upscaled():
    assert even_size(1920, 1080, 960, 540) == (960, 540)
    assert even_size(1080, 1920, 960, 540) == (302, 540)
    assert even_size(320, 180, 960, 540) == (320, 180)
    assert even_size(721, 405, 960, 540) == (720, 404)


def test_long_videos_get_at_most_max_thumbs():
    plan = ProxyPlan()
    assert thumb_interval_ms(60_000, plan) == 1000
    assert thumb_interval_ms(2 * 3600 * 1000, plan) == 72_000
    assert 2 * 3600 * 1000 / thumb_interval_ms(2 * 3600 * 1000, plan) <= plan.max_thumbs


def test_vtt_cues_walk_the_grid_row_by_row():
    text = sprite_vtt([0, 1000, 2000], 2500, size=(10, 6), columns=2, url="s.jpg")
    assert "s.jpg#xywh=0,0,10,6" in text and "s.jpg#xywh=10,0,10,6" in text and "s.jpg#xywh=0,6,10,6" in text
    assert "00:00:02.000 --> 00:00:02.500" in text


def test_a_pass_abandoned_half_way_leaves_no_partial_output(hd_clip, tmp_path):
    folder = tmp_path / "out"
    writer = ProxyWriter(folder)
    for frame in VideoScan(hd_clip.path, SamplingPlan(), sink=writer):
        if frame.pts_ms >= 2000:
            break
    assert (folder / "proxy.mp4").exists()
    writer.abort()
    assert list(folder.iterdir()) == []


def test_a_truncated_file_fails_before_anything_is_written(hd_clip, tmp_path):
    broken = tmp_path / "cut.mp4"
    data = hd_clip.path.read_bytes()
    broken.write_bytes(data[: len(data) // 2])
    writer = ProxyWriter(tmp_path / "out")
    with pytest.raises(MediaError):
        list(VideoScan(broken, SamplingPlan(), sink=writer))
    assert not (tmp_path / "out").exists()


def test_a_rotated_video_keeps_its_rotation_and_gets_upright_pictures(tmp_path):
    clip = encode_clip(ClipSpec(scenes=(Scene(frames=30, hue=0.1),), rotation=90), tmp_path / "turned.mp4")
    writer = ProxyWriter(tmp_path / "out")
    list(VideoScan(clip.path, SamplingPlan(), sink=writer))
    outputs = writer.finish()
    info = probe(outputs.proxy.path)
    assert info.video_tracks[0].rotation == 90 and [a.codec for a in info.audio_tracks] == ["aac"]
    with Image.open(outputs.poster.path) as poster:
        assert poster.size == (180, 320)  # portrait, as players show it
    assert "sprite#xywh=0,0,90,160" in outputs.vtt.path.read_text(encoding="utf-8")
