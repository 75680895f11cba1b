"""Text with a map back to the original: every normalisation step keeps, for each character it
produces, the span of the original text it came from, so a match in a normalised view points at the
exact characters a reviewer sees.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

# Invisible characters used to split words without showing it: format characters (zero-width
# space/joiners, word joiner, BOM, soft hyphen, bidi marks, embeddings, overrides and isolates, tag
# characters), variation selectors, the combining grapheme joiner and the Hangul fillers.
_INVISIBLE_EXTRA = frozenset(
    [chr(code) for code in range(0xFE00, 0xFE10)]
    + [chr(code) for code in range(0xE0100, 0xE01F0)]
    + ["\u034f", "\u115f", "\u1160", "\u3164", "\uffa0"]
)
_KEPT_CONTROLS = frozenset("\n\t")
_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def is_invisible(character: str) -> bool:
    category = unicodedata.category(character)
    if category == "Cf" or character in _INVISIBLE_EXTRA:
        return True
    return category == "Cc" and character not in _KEPT_CONTROLS


@dataclass(frozen=True, slots=True)
class MappedText:
    """``text`` and, per character, the ``[starts[i], ends[i])`` span of the original it stands for."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    @classmethod
    def identity(cls, text: str) -> MappedText:
        return cls(text, tuple(range(len(text))), tuple(range(1, len(text) + 1)))

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of ``text[start:end]`` (``end > start``)."""
        return self.starts[start], self.ends[end - 1]

    def rebuilt(self, pieces: Iterable[tuple[str, int, int]]) -> MappedText:
        """A new view from ``(text, first, last)`` pieces: ``text`` replaces this view's characters
        ``first..last`` (inclusive); each of its characters maps to their whole original span, or
        character by character when the piece has as many characters as it replaces."""
        chars: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        for text, first, last in pieces:
            if not text:
                continue
            chars.append(text)
            if len(text) == last - first + 1:
                starts.extend(self.starts[first : last + 1])
                ends.extend(self.ends[first : last + 1])
            else:
                starts.extend([self.starts[first]] * len(text))
                ends.extend([self.ends[last]] * len(text))
        return MappedText("".join(chars), tuple(starts), tuple(ends))

    def per_character(self, change: Callable[[str], str]) -> MappedText:
        """Apply ``change`` to each character (it may return several characters, or none)."""
        changed = [change(character) for character in self.text]
        if all(len(new) == 1 for new in changed):
            return MappedText("".join(changed), self.starts, self.ends)
        return self.rebuilt((new, index, index) for index, new in enumerate(changed))

    def without(self, drop: Iterable[int]) -> MappedText:
        """This view without the characters at the given positions."""
        dropped = set(drop)
        if not dropped:
            return self
        kept = [index for index in range(len(self.text)) if index not in dropped]
        return MappedText(
            "".join(self.text[index] for index in kept),
            tuple(self.starts[index] for index in kept),
            tuple(self.ends[index] for index in kept),
        )


def clean(text: str) -> MappedText:
    """The common first step for every language: invisible characters removed, NFKC (half-width kana
    and their voicing marks compose, full-width ASCII becomes ASCII, ㈱ becomes (株)), case folded,
    every run of whitespace one space."""
    if text.isascii() and not _ASCII_CONTROL.search(text):
        view = MappedText.identity(text.lower())
    elif _stable(text):
        view = MappedText.identity(text)
    else:
        view = MappedText.identity(text).rebuilt(_nfkc_pieces(text))
    return _one_space(view)


def _stable(text: str) -> bool:
    return (
        unicodedata.is_normalized("NFKC", text)
        and text.casefold() == text
        and not any(is_invisible(character) for character in text)
    )


def _nfkc_pieces(text: str) -> Iterable[tuple[str, int, int]]:
    """NFKC per segment: a character with the characters that combine into it (a half-width voicing
    mark ﾞ combines once normalised), so each result maps to the original characters it came from."""
    index = 0
    length = len(text)
    while index < length:
        if is_invisible(text[index]):
            index += 1
            continue
        last = index
        while last + 1 < length and _combines(text[last + 1]):
            last += 1
        segment = "".join(character for character in text[index : last + 1] if not is_invisible(character))
        yield unicodedata.normalize("NFKC", segment).casefold(), index, last
        index = last + 1


def _combines(character: str) -> bool:
    normalized = unicodedata.normalize("NFKC", character)
    return bool(normalized) and unicodedata.combining(normalized[0]) != 0


def _one_space(view: MappedText) -> MappedText:
    text = view.text
    if "  " not in text and not any(character in text for character in "\t\n\r\u3000\xa0"):
        return view
    pieces: list[tuple[str, int, int]] = []
    index = 0
    while index < len(text):
        if text[index].isspace():
            last = index
            while last + 1 < len(text) and text[last + 1].isspace():
                last += 1
            pieces.append((" ", index, last))
            index = last + 1
        else:
            pieces.append((text[index], index, index))
            index += 1
    return view.rebuilt(pieces)
