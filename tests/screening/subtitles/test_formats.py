"""SRT, WebVTT, ASS and SSA read to the exact contract; the format comes from the content."""

from __future__ import annotations

import pytest

from shinsa.screening.subtitles import Reason, SubtitleError, parse_subtitle_bytes, read_subtitle_file
from tests.screening.subtitles.samples import (
    ASS,
    ASS_CUES,
    JAPANESE_SRT,
    JAPANESE_SRT_CUES,
    SSA,
    SSA_CUES,
    WEBVTT,
    WEBVTT_CUES,
)


@pytest.mark.parametrize(
    ("text", "format_", "cues"),
    [
        (JAPANESE_SRT, "srt", JAPANESE_SRT_CUES),
        (WEBVTT, "vtt", WEBVTT_CUES),
        (ASS, "ass", ASS_CUES),
        (SSA, "ass", SSA_CUES),
    ],
    ids=["srt", "vtt", "ass", "ssa"],
)
def test_it_reads_each_format_to_the_contract(write_subtitle, text, format_, cues):
    # The extension says nothing: the content decides.
    path = write_subtitle("subtitles.txt", text)
    assert read_subtitle_file(path).as_json() == {"format": format_, "encoding": "utf-8", "cues": cues}


def test_it_keeps_vtt_ruby_and_emphasis_for_display():
    track = parse_subtitle_bytes(WEBVTT.encode())
    first, second, third = track.cues
    assert first.markup == "Hello"
    assert second.markup == "星の<ruby>海<rt>うみ</rt></ruby>へ &amp; <i>出発</i>だ。\n二行目のカラオケ"
    assert [(r.base, r.reading, second.text[r.start : r.end]) for r in second.ruby] == [("海", "うみ", "海")]
    assert third.markup == "<ruby>嵐<rt>あらし</rt></ruby>の前&lt;静けさ&gt;"


def test_it_keeps_srt_emphasis_and_drops_other_tags():
    track = parse_subtitle_bytes(JAPANESE_SRT.encode())
    assert track.cues[0].markup == "星の海へ、出発だ。\n<i>待って！</i>"
    assert track.cues[2].markup == "船長、嵐が来ます。"


def test_it_reads_ass_styles_and_override_tags_as_emphasis():
    track = parse_subtitle_bytes(ASS.encode())
    slanted, dialogue, _hour = track.cues
    assert slanted.markup == "<i>斜めの字幕</i>"  # the Slanted style is italic; the drawing is gone
    assert dialogue.markup == "星の海へ、<i>出発</i>だ。\n待って！"


def test_it_escapes_markup_it_does_not_keep():
    srt = "1\n00:00:01,000 --> 00:00:02,000\n<script>alert(1)</script> & <b onclick=x>太字</b>\n"
    cue = parse_subtitle_bytes(srt.encode()).cues[0]
    assert cue.text == "alert(1) & 太字"
    assert cue.markup == "alert(1) &amp; <b>太字</b>"


def test_it_closes_emphasis_left_open_on_every_line():
    srt = "1\n00:00:01,000 --> 00:00:02,000\n<i>一行目\n二行目\n"
    cue = parse_subtitle_bytes(srt.encode()).cues[0]
    assert cue.markup == "<i>一行目</i>\n<i>二行目</i>"


def test_it_sorts_cues_by_start_keeping_file_order_for_ties():
    srt = (
        "1\n00:00:05,000 --> 00:00:06,000\nC\n\n"
        "2\n00:00:01,000 --> 00:00:02,000\nA\n\n"
        "3\n00:00:01,000 --> 00:00:01,500\nB\n"
    )
    assert [cue.text for cue in parse_subtitle_bytes(srt.encode()).cues] == ["A", "B", "C"]


def test_it_skips_cues_without_text_but_refuses_a_file_with_none():
    srt = "1\n00:00:01,000 --> 00:00:02,000\n\n2\n00:00:03,000 --> 00:00:04,000\n<i></i>\n\n"
    with pytest.raises(SubtitleError) as refused:
        parse_subtitle_bytes(srt.encode())
    assert refused.value.reason is Reason.NO_CUES
    ass = ASS.split("Dialogue:")[0] + "Comment: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,only a comment\n"
    with pytest.raises(SubtitleError) as refused:
        parse_subtitle_bytes(ass.encode())
    assert refused.value.reason is Reason.NO_CUES


@pytest.mark.parametrize(
    ("text", "reason", "message"),
    [
        (
            JAPANESE_SRT[: JAPANESE_SRT.index("00:00:05,250 --> 00:00:07,000") + 20],
            Reason.BAD_TIMING,
            "line 7 is not a valid SRT cue timing",
        ),
        (
            "1\n00:00:01,000 --> 00:00:0x,000\ntext\n",
            Reason.BAD_TIMING,
            "line 2 is not a valid SRT cue timing",
        ),
        (
            "WEBVTT\n\n00:01.000 --> 00:0\ntext\n",
            Reason.BAD_TIMING,
            "line 3 is not a valid WebVTT cue timing",
        ),
        (
            ASS.replace("0:00:02.50,Default", "0:0x:02.50,Default"),
            Reason.MALFORMED,
            "the ASS file cannot be parsed: Failed to parse end timestamp: '0:0x:02.50'",
        ),
        (
            "1\n00:00:05,000 --> 00:00:04,000\ntext\n",
            Reason.CUE_ENDS_BEFORE_START,
            "cue 1 ends before it starts",
        ),
        ("ただのテキストファイルです。\n字幕ではありません。\n", Reason.FORMAT_UNKNOWN, None),
        ("{1}{25}MicroDVD is not supported\n", Reason.FORMAT_UNKNOWN, None),
        ("\n\n   \n", Reason.FORMAT_UNKNOWN, None),
    ],
    ids=[
        "truncated-srt",
        "bad-srt-timing",
        "bad-vtt-timing",
        "bad-ass-time",
        "reversed",
        "prose",
        "microdvd",
        "blank",
    ],
)
def test_it_refuses_corrupt_and_unsupported_files(text, reason, message):
    with pytest.raises(SubtitleError) as refused:
        parse_subtitle_bytes(text.encode())
    assert refused.value.reason is reason
    if message is not None:
        assert str(refused.value) == message
