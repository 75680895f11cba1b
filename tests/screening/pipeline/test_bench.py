"""bench/screening.py and bench/text.py keep working: one quick run each, one JSON object with the
figures they promise (no timing is asserted)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[3] / "bench"


def _run(*args: str, var: Path) -> dict:
    result = subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "SHINSA_VAR_DIR": str(var)},
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.strip().splitlines()) == 1
    return json.loads(result.stdout)


@pytest.mark.media
def test_bench_screening_reports_every_variant_against_the_decode_baseline(tmp_path):
    figures = _run(str(BENCH / "screening.py"), "--quick", "--json", var=tmp_path)
    assert figures["runs"] == 1 and figures["baseline"]["median_s"] > 0
    what = figures["baseline"]["what"]
    if figures["ffmpeg_binary"]:
        assert what.startswith("ffmpeg -i CLIP")
    else:  # said in the JSON: the baseline is PyAV's decode in the same run
        assert what.startswith("no ffmpeg binary on PATH: PyAV decode")
    names = ["screening", "screening_with_proxies"]
    if figures["classifier_installed"]:
        names += ["screening_with_classifier", "screening_with_classifier_and_proxies"]
    for name in names:
        variant = figures[name]
        assert variant["ratio_to_baseline"] > 0 and variant["times_real_time"] > 0
        assert variant["frames_decoded"] == figures["clip"]["frames"]
        assert variant["scene_cuts"] == 5
    proxy = figures["screening_with_proxies"]["outputs"]
    assert set(proxy) == {"proxy", "poster", "sprite", "sprite.vtt"} and proxy["proxy"]["height"] <= 540
    assert figures["screening"]["outputs"] is None


def test_bench_text_reports_the_ratio_to_sudachi_for_both_languages(tmp_path):
    figures = _run(str(BENCH / "text.py"), "--quick", "--json", var=tmp_path)
    assert set(figures["languages"]) == {"ja", "en"} and figures["target_ratio"] == 1.5
    for language in figures["languages"].values():
        assert language["terms"] == 2000 and language["ratio"] > 0
        assert language["screening"]["hits"] > 0 and language["baseline"]["morphemes"] > 0


@pytest.mark.media
def test_bench_embedded_subtitles_reads_every_cue_of_both_containers_against_a_decode(tmp_path):
    figures = _run(str(BENCH / "embedded_subtitles.py"), "--quick", "--runs", "1", "--json", var=tmp_path)
    assert set(figures["containers"]) == {"mp4", "mkv"}
    for row in figures["containers"].values():
        assert row["cues"] == 2 * 6 and row["frames"] == int(12 * 24000 / 1001) + 1
        assert row["decode_median_s"] > 0 and row["ratio"] > 0
