"""Reading files: the size guard, files that are not regular, and bounded time and memory on huge lines."""

from __future__ import annotations

import os
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from shinsa.screening.subtitles import (
    MAX_SUBTITLE_BYTES,
    Reason,
    SubtitleError,
    parse_subtitle_bytes,
    read_subtitle_file,
)
from tests.screening.subtitles.samples import ASS

MEGABYTE = 1024 * 1024


def refusal(read: Callable[[], object]) -> SubtitleError:
    with pytest.raises(SubtitleError) as refused:
        read()
    return refused.value


def test_it_names_the_file_in_every_refusal(tmp_path):
    path = tmp_path / "nothing-here.srt"
    error = refusal(lambda: read_subtitle_file(path))
    assert error.reason is Reason.FILE_MISSING
    assert error.path == str(path)
    assert str(error) == f"{path}: the file does not exist or is not a regular file"


def test_it_refuses_an_empty_file(write_subtitle):
    assert refusal(lambda: read_subtitle_file(write_subtitle("empty.srt", ""))).reason is Reason.FILE_EMPTY


def test_it_refuses_a_directory_and_a_fifo_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.srt"
    os.mkfifo(fifo)
    for path in (tmp_path, fifo):
        assert refusal(lambda path=path: read_subtitle_file(path)).reason is Reason.FILE_MISSING


def test_it_refuses_a_file_over_the_limit_before_reading_it(tmp_path):
    path = tmp_path / "huge.srt"
    with path.open("wb") as handle:  # sparse: the size is there, the bytes are not
        handle.truncate(MAX_SUBTITLE_BYTES + 1)
    tracemalloc.start()
    try:
        error = refusal(lambda: read_subtitle_file(path))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (error.reason, str(error)) == (
        Reason.FILE_TOO_LARGE,
        f"{path}: the file is larger than the limit of 20 MB",
    )
    assert peak < MEGABYTE


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_it_refuses_an_unreadable_file(write_subtitle):
    path = write_subtitle("locked.srt", "1\n00:00:01,000 --> 00:00:02,000\nx\n")
    path.chmod(0)
    error = refusal(lambda: read_subtitle_file(path))
    assert error.reason is Reason.FILE_UNREADABLE


def _bounded(parse: Callable[[], object], *, seconds: float = 5.0, megabytes: int = 40) -> object:
    """Run ``parse``; fail if it takes longer or allocates more at its peak than allowed."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = parse()
        _current, peak = tracemalloc.get_traced_memory()
    except SubtitleError as error:
        _current, peak = tracemalloc.get_traced_memory()
        result = error
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < seconds
    assert peak < megabytes * MEGABYTE
    return result


def test_it_reads_a_cue_with_a_one_megabyte_line(write_subtitle):
    line = "長い台詞" * (MEGABYTE // 4)
    path = write_subtitle("long.srt", f"1\n00:00:01,000 --> 00:00:02,000\n{line}\n")
    track = _bounded(lambda: read_subtitle_file(path))
    assert isinstance(track, object) and track.cues[0].text == line  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("name", "text", "reason"),
    [
        ("garbage.srt", "x" * MEGABYTE, Reason.FORMAT_UNKNOWN),
        ("brackets.srt", "1\n00:00:01,000 --> 00:00:02,000\n" + "<" * MEGABYTE + "\n", None),
        (
            "braces.ass",
            ASS + "Dialogue: 0,0:00:03.00,0:00:04.00,Default,,0,0,0,," + "{" * MEGABYTE + "\n",
            None,
        ),
        ("blank-lines.srt", "1\n00:00:01,000 --> 00:00:02,000\nx" + "\n" * MEGABYTE + "y\n", None),
        (
            "arrows.srt",
            "1\n00:00:01,000 --> 00:00:02,000\n" + "-->" * (MEGABYTE // 3) + "\n",
            Reason.BAD_TIMING,
        ),
        ("open-tag.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\n<c" + "." * MEGABYTE + "\n", None),
    ],
)
def test_it_stays_linear_on_hostile_one_megabyte_lines(write_subtitle, name, text, reason):
    path = write_subtitle(name, text)
    result = _bounded(lambda: read_subtitle_file(path))
    if reason is None:
        assert not isinstance(result, SubtitleError), result
    else:
        assert isinstance(result, SubtitleError) and result.reason is reason


def test_it_keeps_the_limit_for_bytes_too():
    error = refusal(lambda: parse_subtitle_bytes(b"x" * 11, max_bytes=10))
    assert error.reason is Reason.FILE_TOO_LARGE


def test_it_reads_the_example_files_of_the_demo():
    examples = Path(__file__).resolve().parents[3] / "docs" / "examples" / "subs"
    tracks = {path.name: read_subtitle_file(path) for path in sorted(examples.glob("*.srt"))}
    assert {name: (track.format, track.encoding) for name, track in tracks.items()} == {
        "hoshi-s1e1.en.srt": ("srt", "utf-8"),
        "hoshi-s1e1.ja.srt": ("srt", "utf-8"),
        "hoshi-s1e2.ja.srt": ("srt", "cp932"),
    }
    assert tracks["hoshi-s1e2.ja.srt"].cues[0].text == "第2話、嵐の前。"
