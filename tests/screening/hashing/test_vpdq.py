"""shinsa.screening.hashing.vpdq: one pass gives the features; a transcoded copy matches, others do not."""

from __future__ import annotations

import json
from dataclasses import replace
from fractions import Fraction

import av
import pytest

from shinsa.media.synthetic import ClipSpec, Scene, encode_clip
from shinsa.screening.hashing.pdq import pdq_of_rgb
from shinsa.screening.hashing.vpdq import (
    VpdqFeature,
    from_threatexchange_signal,
    to_threatexchange_signal,
    vpdq_match,
    vpdq_of_video_file,
)

pytestmark = pytest.mark.media

TEXTURED = ClipSpec(
    scenes=tuple(
        Scene(frames=n, hue=h, caption=f"Shot {i}", texture=i + 1)
        for i, (n, h) in enumerate([(62, 0.05), (37, 0.55), (48, 0.2), (19, 0.72), (84, 0.38)])
    ),
    fps=Fraction(25),
    width=384,
    height=216,
)


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    folder = tmp_path_factory.mktemp("vpdq")
    original = encode_clip(TEXTURED, folder / "original.mp4").path
    other_scenes = tuple(replace(s, texture=s.texture + 10) for s in TEXTURED.scenes)
    other = encode_clip(replace(TEXTURED, scenes=other_scenes), folder / "other.mp4").path
    return original, transcode(original, folder / "copy.mp4", width=320, height=180, crf=36), other


def transcode(source, target, *, width: int, height: int, crf: int):
    """Decode, shrink and re-encode, as a platform re-uploading a copy would."""
    with av.open(str(source)) as reader, av.open(str(target), "w", format="mp4") as writer:
        video = reader.streams.video[0]
        out = writer.add_stream(
            "libx264", rate=video.average_rate, options={"crf": str(crf), "preset": "fast"}
        )
        out.width, out.height, out.pix_fmt = width, height, "yuv420p"
        for n, frame in enumerate(reader.decode(video)):
            smaller = frame.reformat(width=width, height=height, format="yuv420p")
            smaller.pts, smaller.time_base = n, 1 / video.average_rate
            writer.mux(out.encode(smaller))
        writer.mux(out.encode(None))
    return target


def test_it_hashes_one_frame_per_second_with_its_index_and_time(clips):
    features = vpdq_of_video_file(clips[0])
    assert [f.frame_index for f in features] == [0, 25, 50, 75, 100, 125, 150, 175, 200, 225]
    assert [f.time for f in features] == [float(n) for n in range(10)]
    assert all(len(f.pdq) == 64 and f.quality == 100 for f in features)


def test_it_gives_the_same_hash_as_decoding_the_frame_separately(clips):
    features = vpdq_of_video_file(clips[0])
    with av.open(str(clips[0])) as container:
        frames = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
    assert [f.pdq for f in features] == [pdq_of_rgb(frames[f.frame_index]).hex for f in features]


def test_it_matches_a_transcoded_copy_and_not_another_video(clips):
    original, copy, other = (vpdq_of_video_file(path) for path in clips)
    match = vpdq_match(original, copy)
    assert match.is_match() and match.query_percent == 100.0 and match.compared_percent == 100.0
    assert vpdq_match(original, other) == type(match)(0.0, 0.0)
    assert not vpdq_match(original, other).is_match()


def test_it_counts_distinct_usable_frames_only():
    good, poor = "a" * 64, "5" * 64
    query = [VpdqFeature(good, 90, 0.0), VpdqFeature(good, 90, 1.0), VpdqFeature(poor, 20, 2.0)]
    assert vpdq_match(query, [VpdqFeature(good, 80, 5.0)]) == type(vpdq_match(query, query))(100.0, 100.0)
    assert vpdq_match([VpdqFeature(poor, 20, 0.0)], query).query_percent == 0.0


def test_it_writes_and_reads_threatexchanges_vpdq_signal_string():
    features = [VpdqFeature("ab" * 32, 100, 0.0, 0), VpdqFeature("cd" * 32, 87, 12.345, 296)]
    signal = to_threatexchange_signal(features)
    # python-threatexchange formats the time with "{:.3}": three significant digits.
    assert json.loads(signal) == [f"{'ab' * 32},100,0.0", f"{'cd' * 32},87,12.3"]
    back = from_threatexchange_signal(signal)
    assert [(f.pdq, f.quality, f.time, f.frame_index) for f in back] == [
        ("ab" * 32, 100, 0.0, None),
        ("cd" * 32, 87, 12.3, None),
    ]


@pytest.mark.parametrize("entry", ["zz" * 32 + ",50,1.0", "ab" * 32 + ",101,1.0", "ab" * 31 + ",50,1.0", "x"])
def test_it_refuses_malformed_signal_entries(entry):
    with pytest.raises(ValueError, match="not a vPDQ feature"):
        from_threatexchange_signal(json.dumps([entry]))
