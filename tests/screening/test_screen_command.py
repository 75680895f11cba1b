"""``shinsa screen FILE --json`` as other tools call it: a real process, its output and its exit code."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from shinsa.media.synthetic import ClipSpec, Cue, Scene, SubtitleStreamSpec, encode_clip
from tests.media.test_images import png_declaring

SHINSA = Path(sys.executable).with_name("shinsa")
CLASSIFIER_INSTALLED = all(importlib.util.find_spec(name) for name in ("nudenet", "onnxruntime", "cv2"))
HIT_KEYS = ["signal", "policy_area", "severity", "score", "start_ms", "end_ms", "detail"]

SRT = (
    "1\n00:00:01,000 --> 00:00:03,500\nI will k1ll you tonight.\n\n"
    "2\n00:00:04,000 --> 00:00:05,250\n普通の会話です。\n\n"
    "3\n00:01:02,000 --> 00:01:04,000\nThen I'll KILL YOU.\n"
)


def run_screen(path: Path, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "SHINSA_VAR_DIR": str(tmp_path / "var"), "SHINSA_LANG": "en"}
    return subprocess.run(
        [str(SHINSA), "screen", str(path), *extra],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


def screen_json(path: Path, tmp_path: Path) -> dict:
    result = run_screen(path, tmp_path, "--json")
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    assert result.stdout.count("\n") == 1
    document = json.loads(result.stdout)
    assert list(document) == ["file", "duration_s", "skipped", "hits"]
    assert document["file"] == str(path)
    for hit in document["hits"]:
        assert list(hit) == HIT_KEYS
        assert hit["severity"] in {"low", "medium", "high", "critical"}
        assert isinstance(hit["score"], float) and 0 <= hit["score"] <= 1
        assert isinstance(hit["detail"], dict)
    return document


def test_it_screens_a_subtitle_file_and_gives_each_hit_its_cue_times(tmp_path):
    path = tmp_path / "episode.srt"
    path.write_text(SRT, encoding="utf-8")
    document = screen_json(path, tmp_path)
    assert document["duration_s"] is None and document["skipped"] == []
    timed = [(hit["signal"], hit["policy_area"], hit["start_ms"], hit["end_ms"]) for hit in document["hits"]]
    # Cue 3 is a minute away from cue 1: lexicon hits are never merged like frame hits.
    assert timed == [("text_lexicon", "violence", 1000, 3500), ("text_lexicon", "violence", 62000, 64000)]
    assert [hit["detail"]["text"] for hit in document["hits"]] == ["k1ll you", "KILL YOU"]


def test_it_screens_an_image(tmp_path):
    path = tmp_path / "still.png"
    Image.fromarray((np.random.default_rng(7).random((90, 160, 3)) * 255).astype(np.uint8)).save(path)
    document = screen_json(path, tmp_path)
    assert document["duration_s"] is None and document["hits"] == []
    assert document["skipped"] == ([] if CLASSIFIER_INSTALLED else ["classifier"])


@pytest.mark.skipif(CLASSIFIER_INSTALLED, reason="the classifier extra is installed here")
def test_it_names_the_classifier_in_skipped_when_the_extra_is_absent(tmp_path):
    path = tmp_path / "still.jpg"
    Image.fromarray((np.random.default_rng(8).random((64, 64, 3)) * 255).astype(np.uint8)).save(path)
    assert screen_json(path, tmp_path)["skipped"] == ["classifier"]
    # A subtitle file is never given to the classifier: nothing was skipped for it.
    subtitles = tmp_path / "cues.srt"
    subtitles.write_text(SRT, encoding="utf-8")
    assert screen_json(subtitles, tmp_path)["skipped"] == []


@pytest.mark.media
def test_it_screens_a_video_with_its_duration(tmp_path):
    spec = ClipSpec(scenes=(Scene(frames=48, hue=0.1, texture=2), Scene(frames=24, hue=0.6, texture=5)))
    clip = encode_clip(spec, tmp_path / "clip.mp4")
    document = screen_json(clip.path, tmp_path)
    assert document["duration_s"] == pytest.approx(clip.duration_ms / 1000, abs=0.05)
    assert document["hits"] == []  # no bank holds its hashes, no lexicon applies to pictures
    assert document["skipped"] == ([] if CLASSIFIER_INSTALLED else ["classifier"])


@pytest.mark.media
def test_it_screens_the_text_subtitle_streams_inside_a_video(tmp_path):
    stream = SubtitleStreamSpec(codec="subrip", cues=(Cue(1200, 2300, "I will kill you."),), language="eng")
    spec = ClipSpec(scenes=(Scene(frames=72, hue=0.3, texture=4),), subtitle_streams=(stream,))
    clip = encode_clip(spec, tmp_path / "clip.mkv")
    (hit,) = screen_json(clip.path, tmp_path)["hits"]
    assert (hit["signal"], hit["policy_area"], hit["start_ms"], hit["end_ms"]) == (
        "text_lexicon",
        "violence",
        1200,
        2300,
    )
    assert (hit["detail"]["term_id"], hit["detail"]["stream"], hit["detail"]["language"]) == (
        "en_vio_kill_you",
        2,
        "en",
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "garbage.bin",
            bytes(np.random.default_rng(3).integers(0, 256, 4096, dtype=np.uint8)),
            "not a video, image or subtitle file",
        ),
        ("notes.txt", b"shopping list: eggs, rice\n", "not a video, image or subtitle file"),
        ("broken.srt", b"1\n00:00:01,000 --> later\nHi\n", "line 2 is not a valid SRT cue timing"),
        ("empty.mp4", b"", "the file is empty"),
        ("cut.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "not supported"),
    ],
)
def test_it_prints_one_line_on_stderr_for_a_bad_file(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    result = run_screen(path, tmp_path, "--json")
    assert result.returncode != 0
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"{path}: ") and message in result.stderr


@pytest.mark.media
def test_it_prints_one_line_for_a_cut_short_video(tmp_path):
    clip = encode_clip(ClipSpec(scenes=(Scene(frames=48, hue=0.3),)), tmp_path / "whole.mp4")
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(clip.path.read_bytes()[: clip.path.stat().st_size // 2])
    result = run_screen(cut, tmp_path, "--json")
    assert result.returncode != 0 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"{cut}: the file is cut short")


def test_it_names_a_missing_file(tmp_path):
    result = run_screen(tmp_path / "nowhere.mp4", tmp_path)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == f"{tmp_path / 'nowhere.mp4'}: no such file\n"


def test_it_names_the_problem_in_japanese_for_a_japanese_user(tmp_path):
    path = tmp_path / "garbage.bin"
    path.write_bytes(bytes(range(256)) * 8)
    environment = {**os.environ, "SHINSA_VAR_DIR": str(tmp_path / "var"), "SHINSA_LANG": "ja"}
    result = subprocess.run(
        [str(SHINSA), "screen", str(path)], capture_output=True, text=True, env=environment, check=False
    )
    assert result.returncode == 1
    assert result.stderr == f"{path}: 動画・画像・字幕のいずれのファイルでもありません\n"


def test_it_refuses_a_png_declaring_100000_by_100000_pixels_in_one_line(tmp_path):
    path = tmp_path / "bomb.png"
    path.write_bytes(png_declaring(100_000, 100_000))
    result = run_screen(path, tmp_path, "--json")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"{path}: the image is too large to decode")


def test_it_screens_a_subtitle_file_with_a_one_megabyte_line(tmp_path):
    path = tmp_path / "long.srt"
    path.write_text("1\n00:00:01,000 --> 00:00:02,000\n" + "a" * 1_000_000 + " kill you\n", encoding="utf-8")
    (hit,) = screen_json(path, tmp_path)["hits"]
    assert (hit["start_ms"], hit["end_ms"], hit["detail"]["text"]) == (1000, 2000, "kill you")
