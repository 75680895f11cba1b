"""The cue model every subtitle format is read into, and the builder the format readers share.

A cue keeps three things: ``text`` for screening and line counting (markup stripped, ruby reduced to
its base text, ``\\n`` between lines); ``markup``, a sanitised HTML fragment for display that keeps
ruby (``<ruby>漢字<rt>かんじ</rt></ruby>``) and basic emphasis; and each ruby's reading separately, with
the offsets of its base in ``text``, because a reading can carry an insult the base text does not.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

# The only tags ``Cue.markup`` holds; everything else in a file is dropped, its text kept.
EMPHASIS_TAGS = ("i", "b", "u", "s")


@dataclass(frozen=True, kw_only=True, slots=True)
class Ruby:
    base: str
    reading: str
    start: int  # offsets of the base in Cue.text
    end: int


@dataclass(frozen=True, kw_only=True, slots=True)
class Cue:
    start_ms: int
    end_ms: int
    text: str
    markup: str  # escaped text plus <i> <b> <u> <s> <ruby> <rt> only; "\n" between lines
    ruby: tuple[Ruby, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {"start_ms": self.start_ms, "end_ms": self.end_ms, "text": self.text}


@dataclass(frozen=True, kw_only=True, slots=True)
class SubtitleTrack:
    format: str  # srt | vtt | ass | ttml
    encoding: str  # Python's canonical codec name
    cues: tuple[Cue, ...]  # in start-time order

    def as_json(self) -> dict[str, Any]:
        """The ``shinsa subtitles FILE --json`` document."""
        return {
            "format": self.format,
            "encoding": self.encoding,
            "cues": [cue.as_json() for cue in self.cues],
        }


class CueTextBuilder:
    """Collects one cue's content from a format reader: text, emphasis, ruby and line breaks.

    Readers call ``text``, ``open``/``close`` (emphasis), ``line_break`` and the ruby calls in document
    order; ``finish`` gives ``(text, markup, ruby)``. Unbalanced emphasis is closed at the end; emphasis
    inside a ruby is dropped so the markup stays well formed; whitespace at both ends of each line is
    trimmed and empty lines are dropped, in the text and the markup alike.
    """

    def __init__(self) -> None:
        # Per line: (plain text, markup, reading) pieces; a reading marks a ruby piece.
        self._lines: list[list[tuple[str, str, str | None]]] = [[]]
        self._open: list[str] = []
        self._base: list[str] | None = None  # inside a ruby: its base text so far
        self._reading: list[str] | None = None  # inside a ruby's reading: the reading so far

    def text(self, value: str) -> None:
        if not value:
            return
        if self._reading is not None:
            self._reading.append(value)
        elif self._base is not None:
            self._base.append(value)
        else:
            self._lines[-1].append((value, html.escape(value, quote=False), None))

    def open(self, tag: str) -> None:
        if tag in EMPHASIS_TAGS and self._base is None:
            self._open.append(tag)
            self._lines[-1].append(("", f"<{tag}>", None))

    def close(self, tag: str) -> None:
        if tag not in self._open or self._base is not None:
            return  # a closing tag that was never opened is dropped
        while self._open:
            last = self._open.pop()
            self._lines[-1].append(("", f"</{last}>", None))
            if last == tag:
                break

    def line_break(self) -> None:
        if self._reading is not None:
            return  # a break inside a reading is not a line of the cue
        self.end_ruby()
        still_open = list(self._open)
        self._lines[-1].extend(("", f"</{tag}>", None) for tag in reversed(still_open))
        self._lines.append([("", f"<{tag}>", None) for tag in still_open])

    def start_ruby(self) -> None:
        self.end_ruby()
        self._base = []

    def start_reading(self) -> None:
        if self._base is not None and self._reading is None:
            self._reading = []

    def end_reading(self) -> None:
        if self._reading is not None:
            self._reading.append(" ")  # a ruby with several readings keeps them apart

    def end_ruby(self) -> None:
        if self._base is None:
            return
        base = "".join(self._base)
        reading = " ".join("".join(self._reading or ()).split())
        self._base = self._reading = None
        if not reading:
            self.text(base)  # a ruby without a reading is plain text
            return
        markup = f"<ruby>{html.escape(base, quote=False)}<rt>{html.escape(reading, quote=False)}</rt></ruby>"
        self._lines[-1].append((base, markup, reading))

    def finish(self) -> tuple[str, str, tuple[Ruby, ...]]:
        self.end_ruby()
        self._lines[-1].extend(("", f"</{tag}>", None) for tag in reversed(self._open))
        self._open.clear()
        texts: list[str] = []
        markups: list[str] = []
        rubies: list[Ruby] = []
        offset = 0
        for pieces in self._lines:
            plain = "".join(piece[0] for piece in pieces)
            stripped = plain.strip()
            if not stripped:
                continue
            if texts:
                offset += 1  # the "\n" before this line
            lead = len(plain) - len(plain.lstrip())
            position = 0
            for text, _markup, reading in pieces:
                if reading is not None:
                    start = min(max(position - lead, 0), len(stripped))
                    end = min(max(position + len(text) - lead, 0), len(stripped))
                    if end > start:
                        rubies.append(
                            Ruby(base=text, reading=reading, start=offset + start, end=offset + end)
                        )
                position += len(text)
            texts.append(stripped)
            markups.append("".join(piece[1] for piece in pieces).strip())
            offset += len(stripped)
        return "\n".join(texts), "\n".join(markups), tuple(rubies)
