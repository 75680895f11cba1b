"""TTML/IMSC: frame and tick times, ruby, and XML that is refused before anything is expanded."""

from __future__ import annotations

import time
import tracemalloc

import pytest

from shinsa.screening.subtitles import Reason, SubtitleError, parse_subtitle_bytes
from tests.screening.subtitles.samples import (
    BILLION_LAUGHS,
    EXTERNAL_DTD,
    EXTERNAL_ENTITY,
    TTML_FRAMES,
    TTML_FRAMES_CUES,
    TTML_TICKS,
    TTML_TICKS_CUES,
    ttml,
)


def test_it_reads_frame_based_times_with_a_rate_multiplier(write_subtitle):
    track = parse_subtitle_bytes(write_subtitle("ep1.xml", TTML_FRAMES).read_bytes())
    assert track.as_json() == {"format": "ttml", "encoding": "utf-8", "cues": TTML_FRAMES_CUES}


def test_it_reads_tick_based_times_and_offsets_through_timed_divs():
    track = parse_subtitle_bytes(TTML_TICKS.encode())
    assert track.as_json()["cues"] == TTML_TICKS_CUES


def test_it_reads_a_drop_frame_smpte_time_base():
    document = ttml(
        '<div><p begin="00:01:00:02" end="00:10:00:00">ドロップフレーム</p></div>',
        parameters='ttp:timeBase="smpte" ttp:frameRate="30" ttp:frameRateMultiplier="1000 1001" '
        'ttp:dropMode="dropNTSC"',
    )
    [cue] = parse_subtitle_bytes(document.encode()).cues
    # 00:01:00:02 is frame 1800 (labels 00 and 01 of minute 1 are skipped): 1800 × 1001/30000 s.
    # 00:10:00:00 is frame 17982 (18 labels skipped over nine minutes): 599.9994 s.
    assert (cue.start_ms, cue.end_ms) == (60060, 599999)


def test_it_takes_a_cue_time_from_the_div_around_it():
    document = ttml('<div begin="00:00:04.000" end="00:00:05.500"><p>区間はdivに</p></div>')
    [cue] = parse_subtitle_bytes(document.encode()).cues
    assert (cue.start_ms, cue.end_ms, cue.text) == (4000, 5500, "区間はdivに")


def test_it_reduces_ruby_to_its_base_and_keeps_the_reading_for_display():
    first = parse_subtitle_bytes(TTML_FRAMES.encode()).cues[0]
    assert first.text == "星の海へ、出発だ。\n待って！"
    assert first.markup == "星の<ruby>海<rt>うみ</rt></ruby>へ、出発だ。\n待って！"
    assert [(ruby.base, ruby.reading, first.text[ruby.start : ruby.end]) for ruby in first.ruby] == [
        ("海", "うみ", "海")
    ]


def test_it_marks_slanted_and_italic_text_as_emphasis():
    cues = parse_subtitle_bytes(TTML_FRAMES.encode()).cues + parse_subtitle_bytes(TTML_TICKS.encode()).cues
    assert [cue.markup for cue in cues if "<i>" in cue.markup] == ["<i>嵐の前</i>", "十秒後の<i>半秒</i>から"]


def test_it_collapses_white_space_unless_told_to_preserve_it():
    document = ttml(
        '<div><p begin="0s" end="1s">  一行目\n   続き  </p>'
        '<p begin="1s" end="2s" xml:space="preserve">上\n下</p></div>'
    )
    assert [cue.text for cue in parse_subtitle_bytes(document.encode()).cues] == ["一行目 続き", "上\n下"]


def test_it_reads_utf16_ttml():
    track = parse_subtitle_bytes(
        TTML_FRAMES.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    )
    assert track.encoding == "utf-16-le"
    assert track.as_json()["cues"] == TTML_FRAMES_CUES


@pytest.mark.parametrize(
    "document", [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD], ids=["bomb", "entity", "dtd"]
)
def test_it_refuses_dtds_entities_and_external_references_quickly(document):
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(SubtitleError) as refused:
            parse_subtitle_bytes(document.encode())
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert refused.value.reason is Reason.XML_FORBIDDEN
    assert str(refused.value) == "the XML declares a DTD, entities or external references, which are refused"
    assert time.perf_counter() - started < 1.0
    assert peak < 5 * 1024 * 1024  # a billion "lol"s would take gigabytes


@pytest.mark.parametrize(
    ("document", "reason", "message"),
    [
        (
            ttml('<div><p begin="1s" end="2s">閉じていない</div>'),
            Reason.XML_SYNTAX,
            "the XML is malformed (line 5, column 43)",
        ),
        (
            '<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>',
            Reason.NOT_TTML,
            "the XML is not a TTML document (its root element is html)",
        ),
        (
            ttml('<div><p begin="2x4f" end="48f">壊れた時刻</p></div>', parameters='ttp:frameRate="24"'),
            Reason.TTML_TIMING,
            "the TTML timing is invalid: Bad begin attribute value: 2x4f",
        ),
        (
            ttml('<div><p begin="0s" end="1s">x</p></div>', parameters='ttp:tickRate="fast"'),
            Reason.TTML_TIMING,
            "the TTML timing is invalid: ttp:tickRate invalid syntax",
        ),
        (ttml('<div><p begin="1s">終わりがない</p></div>'), Reason.CUE_WITHOUT_END, "cue 1 has no end time"),
        (
            ttml('<div begin="3s"><p>div にも終わりがない</p></div>'),
            Reason.CUE_WITHOUT_END,
            "cue 1 has no end time",
        ),
        (
            ttml("<div>" * 70 + "</div>" * 70),
            Reason.XML_TOO_DEEP,
            "the XML is nested deeper than 64 levels",
        ),
        (ttml("<div></div>"), Reason.NO_CUES, "the file holds no cues"),
    ],
    ids=["syntax", "not-ttml", "bad-begin", "bad-tick-rate", "no-end", "open-div", "deep", "empty"],
)
def test_it_refuses_broken_ttml_with_the_reason(document, reason, message):
    with pytest.raises(SubtitleError) as refused:
        parse_subtitle_bytes(document.encode())
    assert (refused.value.reason, str(refused.value)) == (reason, message)
