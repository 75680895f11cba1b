"""The cue builder the format readers share: text, sanitised markup and ruby offsets."""

from __future__ import annotations

from shinsa.screening.subtitles.cues import Cue, CueTextBuilder, Ruby, SubtitleTrack


def build(*steps: tuple[str, ...]) -> tuple[str, str, tuple[Ruby, ...]]:
    builder = CueTextBuilder()
    for name, *arguments in steps:
        getattr(builder, name)(*arguments)
    return builder.finish()


def test_it_points_ruby_offsets_at_the_base_in_the_trimmed_text():
    text, markup, ruby = build(
        ("text", "  お"),
        ("start_ruby",),
        ("text", "前"),
        ("start_reading",),
        ("text", "まえ"),
        ("end_reading",),
        ("end_ruby",),
        ("text", "は"),
        ("line_break",),
        ("text", " "),
        ("start_ruby",),
        ("text", "誰"),
        ("start_reading",),
        ("text", "だれ"),
        ("end_ruby",),
        ("text", "だ "),
    )
    assert text == "お前は\n誰だ"
    assert markup == "お<ruby>前<rt>まえ</rt></ruby>は\n<ruby>誰<rt>だれ</rt></ruby>だ"
    assert [(r.base, r.reading, text[r.start : r.end]) for r in ruby] == [
        ("前", "まえ", "前"),
        ("誰", "だれ", "誰"),
    ]


def test_it_treats_a_ruby_without_reading_as_text_and_drops_emphasis_inside_ruby():
    text, markup, ruby = build(
        ("start_ruby",), ("open", "b"), ("text", "漢字"), ("close", "b"), ("end_ruby",), ("text", "です")
    )
    assert (text, markup, ruby) == ("漢字です", "漢字です", ())


def test_it_drops_empty_lines_and_unbalanced_closing_tags():
    text, markup, _ruby = build(
        ("close", "i"), ("text", "上"), ("line_break",), ("line_break",), ("open", "u"), ("text", "下")
    )
    assert (text, markup) == ("上\n下", "上\n<u>下</u>")


def test_it_writes_the_contract_json():
    cue = Cue(start_ms=1, end_ms=2, text="字幕", markup="<i>字幕</i>")
    track = SubtitleTrack(format="srt", encoding="cp932", cues=(cue,))
    assert track.as_json() == {
        "format": "srt",
        "encoding": "cp932",
        "cues": [{"start_ms": 1, "end_ms": 2, "text": "字幕"}],
    }
