"""`shinsa subtitles FILE --json` as a real process: the JSON contract; one line on stderr for a bad file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.screening.subtitles.samples import BILLION_LAUGHS, JAPANESE_SRT, JAPANESE_SRT_CUES, TTML_FRAMES

SHINSA = Path(sys.executable).with_name("shinsa")


def run_subtitles(*args: str, language: str = "en") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SHINSA_LANG": language}
    return subprocess.run(
        [str(SHINSA), "subtitles", *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


def test_it_prints_the_json_contract_for_a_cp932_srt(write_subtitle):
    path = write_subtitle("第1話.srt", JAPANESE_SRT, "cp932")
    result = run_subtitles(str(path), "--json")
    assert (result.returncode, result.stderr) == (0, "")
    assert json.loads(result.stdout) == {"format": "srt", "encoding": "cp932", "cues": JAPANESE_SRT_CUES}


def test_it_prints_ttml_cues_in_milliseconds(write_subtitle):
    result = run_subtitles(str(write_subtitle("ep1.ttml", TTML_FRAMES, "utf-8", b"\xef\xbb\xbf")), "--json")
    document = json.loads(result.stdout)
    assert (document["format"], document["encoding"]) == ("ttml", "utf-8-sig")
    assert [(cue["start_ms"], cue["end_ms"]) for cue in document["cues"]] == [(1000, 2501), (10010, 13013)]


def test_it_lists_cues_as_text_without_json(write_subtitle):
    result = run_subtitles(str(write_subtitle("a.srt", JAPANESE_SRT)))
    assert result.stdout.splitlines()[0] == "00:00:01.000 --> 00:00:02.500  星の海へ、出発だ。 / 待って！"


BAD_FILES = {
    "empty.srt": (b"", "the file is empty"),
    "garbage.srt": (bytes(range(256)) * 64, "the file holds binary data, not text"),
    "prose.srt": ("ただの文章です。\n".encode(), "not a subtitle file"),
    "bomb.ttml": (BILLION_LAUGHS.encode(), "the XML declares a DTD"),
    "cut-timing.srt": (
        JAPANESE_SRT[: JAPANESE_SRT.index("00:00:05,250") + 20].encode("cp932"),
        "line 7 is not a valid SRT cue timing",
    ),
    "cut-character.srt": (JAPANESE_SRT.encode()[:41], "the file ends in the middle of a UTF-8 character"),
    "no-cues.vtt": (b"WEBVTT\n\nNOTE nothing else\n", "the file holds no cues"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_it_prints_one_line_naming_the_file_and_nothing_else(tmp_path, name):
    data, problem = BAD_FILES[name]
    path = tmp_path / name
    path.write_bytes(data)
    result = run_subtitles(str(path), "--json")
    assert result.returncode != 0
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.endswith("\n"), result.stderr
    assert result.stderr.startswith(f"{path}: ")
    assert problem in result.stderr


def test_it_reports_a_missing_file_in_japanese(tmp_path):
    path = tmp_path / "ない.srt"
    result = run_subtitles(str(path), "--json", language="ja")
    assert result.returncode != 0
    assert result.stderr == f"{path}: ファイルが存在しないか、通常のファイルではありません\n"


def test_it_reports_a_refused_ttml_and_a_bad_timing_in_japanese(tmp_path):
    bomb = tmp_path / "爆弾.ttml"
    bomb.write_bytes(BILLION_LAUGHS.encode())
    result = run_subtitles(str(bomb), language="ja")
    assert result.stderr == f"{bomb}: XML に DTD・実体宣言・外部参照が含まれているため受け付けません\n"
    cut = tmp_path / "cut.srt"
    cut.write_text("1\n00:00:01,000 --> 00:00:0", encoding="utf-8")
    result = run_subtitles(str(cut), language="ja")
    assert result.stderr == f"{cut}: 2 行目は SRT のキューの時刻として正しくありません\n"
