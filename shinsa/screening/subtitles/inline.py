"""Cue text markup of SRT/WebVTT (HTML-like tags) and ASS/SSA (``{\\override}`` blocks) into a builder.

Every pattern here is linear in the length of the text: ``<[^<>]*>`` cannot run past the next ``<``
and ``{[^{}]*}`` past the next ``{``, so a 1 MB line of unclosed brackets costs one pass, not a
quadratic scan (the pattern ``{[^}]*}`` of pysubs2's own tag helpers would).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from shinsa.screening.subtitles.cues import EMPHASIS_TAGS, CueTextBuilder

_HTML_TOKEN = re.compile(r"<[^<>]*>|\{\\[^{}]*\}|&#?[0-9A-Za-z]{1,12};")
_TAG_NAME = re.compile(r"/?\s*([A-Za-z][A-Za-z0-9]*)")
_OVERRIDE_BLOCK = re.compile(r"\{[^{}]*\}")
_ASS_TEXT_ESCAPE = re.compile(r"\\[Nnh]")
_ASS_TAG = re.compile(r"\\(?:([ibusp])(\d+)|r([^\\}]*))")


def read_html_markup(builder: CueTextBuilder, text: str, *, entities: bool) -> None:
    """SRT and WebVTT cue text: ``<i> <b> <u> <s>`` kept as emphasis, ``<ruby>/<rt>`` as ruby, ``<rp>``
    content dropped, ``<br>`` and newlines as line breaks; ``<c> <v> <lang> <font>`` and any other tag
    removed with their text kept; ASS-style ``{\\an8}`` blocks removed. ``entities``: decode character
    references (WebVTT defines them; SRT does not)."""
    in_rp = False
    position = 0
    for match in _HTML_TOKEN.finditer(text):
        if not in_rp:
            _plain(builder, text[position : match.start()])
        position = match.end()
        token = match.group()
        if token.startswith("&"):
            if not in_rp:
                _plain(builder, html.unescape(token) if entities else token)
            continue
        if token.startswith("{"):
            continue
        name_match = _TAG_NAME.match(token[1:-1].strip())
        if name_match is None:
            continue  # a timestamp tag such as <00:01.500>, or not a tag at all
        name = name_match.group(1).lower()
        closing = token[1:].lstrip().startswith("/")
        if name == "rp":
            in_rp = not closing
        elif in_rp:
            continue
        elif name in EMPHASIS_TAGS:
            (builder.close if closing else builder.open)(name)
        elif name == "ruby":
            (builder.end_ruby if closing else builder.start_ruby)()
        elif name == "rt":
            (builder.end_reading if closing else builder.start_reading)()
        elif name == "br":
            builder.line_break()
    if not in_rp:
        _plain(builder, text[position:])


def _plain(builder: CueTextBuilder, text: str) -> None:
    lines = text.split("\n")
    builder.text(lines[0])
    for line in lines[1:]:
        builder.line_break()
        builder.text(line)


@dataclass(frozen=True, kw_only=True, slots=True)
class AssStyle:
    italic: bool = False
    bold: bool = False
    underline: bool = False
    strikeout: bool = False

    def tags(self) -> tuple[str, ...]:
        flags = (self.italic, self.bold, self.underline, self.strikeout)
        return tuple(tag for tag, on in zip(("i", "b", "u", "s"), flags, strict=True) if on)


def read_ass_markup(
    builder: CueTextBuilder, text: str, *, style: AssStyle, styles: dict[str, AssStyle]
) -> None:
    """An ASS/SSA event's text: override blocks set emphasis (``\\i1 \\b1 \\u1 \\s1``, ``\\r`` resets)
    and are removed; ``\\N`` and ``\\n`` break lines, ``\\h`` is a space; drawings (``\\p1`` ...
    ``\\p0``) are not text. A ``{`` without its ``}`` is text."""
    current = style
    drawing = False
    emphasis: tuple[str, ...] = ()
    position = 0
    for match in _OVERRIDE_BLOCK.finditer(text):
        if not drawing:
            emphasis = _emphasis(builder, emphasis, current.tags())
            _ass_text(builder, text[position : match.start()])
        position = match.end()
        for tag in _ASS_TAG.finditer(match.group()):
            name, value, reset = tag.groups()
            if name is None:
                current = styles.get(reset.strip(), style) if reset.strip() else style
            elif name == "p":
                drawing = int(value) > 0
            else:
                current = _toggle(current, name, int(value) != 0)
    if not drawing:
        _emphasis(builder, emphasis, current.tags())
        _ass_text(builder, text[position:])


def _toggle(style: AssStyle, name: str, on: bool) -> AssStyle:
    return AssStyle(
        italic=on if name == "i" else style.italic,
        bold=on if name == "b" else style.bold,
        underline=on if name == "u" else style.underline,
        strikeout=on if name == "s" else style.strikeout,
    )


def _emphasis(builder: CueTextBuilder, current: tuple[str, ...], wanted: tuple[str, ...]) -> tuple[str, ...]:
    if wanted != current:
        if current:
            builder.close(current[0])  # closes everything opened after it too
        for tag in wanted:
            builder.open(tag)
    return wanted


def _ass_text(builder: CueTextBuilder, text: str) -> None:
    position = 0
    for match in _ASS_TEXT_ESCAPE.finditer(text):
        builder.text(text[position : match.start()])
        if match.group() == "\\h":
            builder.text(" ")
        else:
            builder.line_break()
        position = match.end()
    builder.text(text[position:])
