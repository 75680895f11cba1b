"""Text with a map back to the original: every normalisation step keeps, for each character it
produces, the span of the original text it came from, so a match in a normalised view points at the
exact characters a reviewer sees.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

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
_WHITESPACE_RUN = re.compile(r"\s+")
_OTHER_SPACE = re.compile(r"[^\S ]")  # whitespace but the space
_SPACES = re.compile("  +")
_TABLE_LIMIT = 65536  # lazily filled per-character tables stop growing here (hostile text)
_SPECIAL = "\x00\x00"  # two characters: a text holding one changes length under _FOLD


def is_invisible(character: str) -> bool:
    category = unicodedata.category(character)
    if category == "Cf" or character in _INVISIBLE_EXTRA:
        return True
    return category == "Cc" and character not in _KEPT_CONTROLS


# Planes 0, 1 and 14 hold every format and control character Unicode has (and our extras).
UNICODE_PLANES_WITH_FORMAT_CHARACTERS = (*range(0x20000), *range(0xE0000, 0xE1000))


def character_class(codes: Iterable[int]) -> str:
    """A regex character class body for sorted code points, consecutive ones as ranges."""
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "".join(f"\\U{first:08x}-\\U{last:08x}" for first, last in ranges)


@functools.cache
def _invisible() -> re.Pattern[str]:
    """Any invisible character (``is_invisible``): one regex search instead of a look at each."""
    codes = [code for code in UNICODE_PLANES_WITH_FORMAT_CHARACTERS if is_invisible(chr(code))]
    return re.compile(f"[{character_class(codes)}]")


class Deferred(Sequence[int]):
    """One half (``starts`` or ``ends``) of a map built only when first read: a text is scanned for
    every text, but its map is needed only where a term is found."""

    __slots__ = ("_cell", "_half")

    def __init__(self, cell: list, half: int) -> None:
        self._cell = cell  # [build, None], then [build, (starts, ends)]: shared by the two halves
        self._half = half

    def _get(self) -> Sequence[int]:
        cell = self._cell
        if cell[1] is None:
            cell[1] = cell[0]()
        return cell[1][self._half]

    def __getitem__(self, key):  # noqa: ANN001, ANN204 - int or slice, as a sequence takes
        return self._get()[key]

    def __len__(self) -> int:
        return len(self._get())


def resolved(sequence: Sequence[int]) -> Sequence[int]:
    """A map half as a plain sequence (a deferred one built): slicing it then costs no Python call."""
    return sequence._get() if type(sequence) is Deferred else sequence


def deferred(text: str, build: Callable[[], tuple[Sequence[int], Sequence[int]]]) -> MappedText:
    """A view whose map ``build()`` (``(starts, ends)``) runs once, on first use."""
    cell = [build, None]
    return MappedText(text, Deferred(cell, 0), Deferred(cell, 1))


class MappedText(NamedTuple):
    """``text`` and, per character, the ``[starts[i], ends[i])`` span of the original it stands for.
    (A named tuple: one is built per step per text, and a frozen dataclass costs several times more.)"""

    text: str
    starts: Sequence[int]  # a range when the view maps one to one onto the original (nothing built)
    ends: Sequence[int]

    @classmethod
    def identity(cls, text: str) -> MappedText:
        return cls(text, range(len(text)), range(1, len(text) + 1))

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
        own_starts, own_ends = self.starts, self.ends
        for text, first, last in pieces:
            length = len(text)
            if length == 1:  # the common case, kept cheap
                chars.append(text)
                starts.append(own_starts[first])
                ends.append(own_ends[last])
            elif length == last - first + 1:
                chars.append(text)
                starts.extend(own_starts[first : last + 1])
                ends.extend(own_ends[first : last + 1])
            elif length:
                chars.append(text)
                starts.extend([own_starts[first]] * length)
                ends.extend([own_ends[last]] * length)
        return MappedText("".join(chars), tuple(starts), tuple(ends))

    def translated(self, table: dict[int, int]) -> MappedText:
        """``str.translate`` with a table that maps characters one to one (the map is unchanged)."""
        return MappedText(self.text.translate(table), self.starts, self.ends)

    def without_matches(self, pattern: re.Pattern[str], *, first_of: str | None = None) -> MappedText:
        """This view without what ``pattern`` matches, or, with ``first_of`` (a replacement template
        that gives a match's first character: its groups), without all but its first character; the
        map is built on first use."""
        text = self.text
        if first_of is None:
            kept = pattern.sub("", text)
            if len(kept) == len(text):
                return self
            skip = 0
        else:  # a template costs more than a search: most texts have no match
            if pattern.search(text) is None:
                return self
            kept = pattern.sub(first_of, text)
            skip = 1

        def build() -> tuple[list[int], list[int]]:
            own_starts, own_ends = resolved(self.starts), resolved(self.ends)
            starts: list[int] = []
            ends: list[int] = []
            position = 0
            for match in pattern.finditer(text):
                stop = match.start() + skip
                starts.extend(own_starts[position:stop])
                ends.extend(own_ends[position:stop])
                position = match.end()
            starts.extend(own_starts[position:])
            ends.extend(own_ends[position:])
            return starts, ends

        return deferred(kept, build)

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
    every run of whitespace one space.

    Two fast paths give a map that is the identity. Non-ASCII text that is already NFKC, holds no
    invisible character and keeps its length when case folded (many Japanese lines) is folded with
    ``str.casefold``: each of its characters is NFKC on its own and folds to one character, so the
    whole-text fold is the character-by-character one. Other text where every character folds to
    exactly one character on its own (full-width letters) takes one ``str.translate``; the rest
    (invisible, combining or expanding characters) ``_clean_segments``. ``clean_general`` is the same
    step done segment by segment."""
    length = len(text)
    # (ASCII goes to the translate: ``str.translate`` caches its table for ASCII)
    if not text.isascii() and unicodedata.is_normalized("NFKC", text) and _invisible().search(text) is None:
        folded = text.casefold()
        if len(folded) == length:
            if "\n" in folded:  # the one whitespace besides the space a subtitle line has
                folded = folded.replace("\n", " ")
            view = MappedText(folded, range(length), range(1, length + 1))
            return _one_space(view) if "  " in folded or _OTHER_SPACE.search(folded) else view
    folded = text.translate(_FOLD)
    if len(folded) != length:
        view = _clean_segments(text, folded)
        return _one_space(view) if "  " in view.text or _OTHER_SPACE.search(view.text) else view
    view = MappedText(folded, range(length), range(1, length + 1))
    return _one_space(view) if "  " in folded else view


def clean_texts(texts: Sequence[str], separator: str) -> str:
    """``separator.join(clean(text).text for text in texts)``, for a separator that ``clean`` keeps as
    it is (and no text holds): one ``str.translate`` for them all, each text with a character that
    does not fold to exactly one character then cleaned on its own."""
    joined = separator.join(texts)
    folded = joined.translate(_FOLD)
    if len(folded) != len(joined):
        folded = separator.join(
            [
                piece
                if len(piece) == len(text)
                else _WHITESPACE_RUN.sub(" ", _clean_segments(text, piece).text)
                for piece, text in zip(folded.split(separator), texts, strict=True)
            ]
        )
    return _SPACES.sub(" ", folded) if "  " in folded else folded


def _clean_segments(text: str, folded: str) -> MappedText:
    """The NFKC step of ``clean`` when some characters are invisible, combine or expand (``folded``, the
    text through ``_FOLD``, holds ``_SPECIAL`` for each): those segments (a character with the
    characters that combine into it, or one such character alone) one by one as ``_nfkc_pieces`` does,
    every stretch of plain characters between them as ``folded`` has it."""
    specials = _special_positions(folded)
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    position = 0
    for first, stop in _segments(text, specials):
        if first > position:
            shift = bisect.bisect_left(specials, position)  # each special before is two in folded
            chars.append(folded[position + shift : first + shift])
            starts.extend(range(position, first))
            ends.extend(range(position + 1, first + 1))
        position = stop
        if stop - first == 1:
            if _KINDS[ord(text[first])] == "i":
                continue
            piece = _character(text[first])[0]
        else:  # (no invisible character is in one: _KINDS calls it ``i``, never ``c``)
            piece = unicodedata.normalize("NFKC", text[first:stop]).casefold()
        length = len(piece)
        if not length:
            continue
        chars.append(piece)
        if length == stop - first:
            starts.extend(range(first, stop))
            ends.extend(range(first + 1, stop + 1))
        else:
            starts.extend([first] * length)
            ends.extend([stop] * length)
    if position < len(text):
        shift = len(specials)  # every special is in a segment, before position
        chars.append(folded[position + shift :])
        starts.extend(range(position, len(text)))
        ends.extend(range(position + 1, len(text) + 1))
    return MappedText("".join(chars), starts, ends)


def _special_positions(folded: str) -> list[int]:
    """Where the characters ``_FOLD`` gave ``_SPECIAL`` are in the text (no other gives a NUL)."""
    positions: list[int] = []
    at = folded.find(_SPECIAL)
    while at != -1:
        positions.append(at - len(positions))
        at = folded.find(_SPECIAL, at + len(_SPECIAL))
    return positions


def _segments(text: str, specials: list[int]) -> list[tuple[int, int]]:
    """``(first, stop)`` of each segment, in order: what ``[nxc]c+|[xic]`` finds in the text's kinds
    (``_KINDS``), looked for only around the special characters (the others are all ``n``)."""
    found: list[tuple[int, int]] = []
    count = len(specials)
    index = 0
    while index < count:
        at = specials[index]
        kind = _KINDS[ord(text[at])]
        if kind == "i":
            found.append((at, at + 1))
            index += 1
            continue
        first = at
        if kind == "c" and at > 0 and (index == 0 or specials[index - 1] != at - 1):
            first = at - 1  # the plain character it combines into
        last = at
        while index + 1 < count and specials[index + 1] == last + 1 and _KINDS[ord(text[last + 1])] == "c":
            last += 1
            index += 1
        found.append((first, last + 1))
        index += 1
    return found


def clean_general(text: str) -> MappedText:
    """``clean`` for any text, segment by segment (the reference for the fast path)."""
    if text.isascii() and not _ASCII_CONTROL.search(text):
        view = MappedText.identity(text.lower())
    elif _stable(text):
        view = MappedText.identity(text)
    else:
        view = MappedText.identity(text).rebuilt(_nfkc_pieces(text))
    return _one_space(view)


class _FoldTable(dict):
    """A ``str.translate`` table filled on first sight of each character: its NFKC, case folded form
    (whitespace as one space) when that is one character and the character is neither invisible nor
    combining; ``_SPECIAL`` (two characters) otherwise, so such a text changes length and takes the
    general path."""

    __slots__ = ()

    def __missing__(self, code: int) -> str:
        folded, invisible, combines = _character(chr(code))
        if invisible or combines or len(folded) != 1:
            value = _SPECIAL
        else:
            value = " " if folded.isspace() else folded
        if len(self) < _TABLE_LIMIT:
            self[code] = value
        return value


_FOLD = _FoldTable()


class _KindTable(dict):
    """A ``str.translate`` table filled on first sight of each character: ``i`` invisible, ``c``
    combines into the character before it, ``x`` folds to other than one character, ``n`` plain."""

    __slots__ = ()

    def __missing__(self, code: int) -> str:
        folded, invisible, combines = _character(chr(code))
        value = "i" if invisible else "c" if combines else "n" if len(folded) == 1 else "x"
        if len(self) < _TABLE_LIMIT:
            self[code] = value
        return value


_KINDS = _KindTable()


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
        folded, invisible, _combines = _character(text[index])
        if invisible:
            index += 1
            continue
        last = index
        while last + 1 < length and _character(text[last + 1])[2]:
            last += 1
        if last == index:
            yield folded, index, index
        else:
            segment = "".join(c for c in text[index : last + 1] if not _character(c)[1])
            yield unicodedata.normalize("NFKC", segment).casefold(), index, last
        index = last + 1


@functools.lru_cache(maxsize=65536)
def _character(character: str) -> tuple[str, bool, bool]:
    """(NFKC and case folded, invisible, combines into the character before it once normalised)."""
    normalized = unicodedata.normalize("NFKC", character)
    combines = bool(normalized) and unicodedata.combining(normalized[0]) != 0
    return normalized.casefold(), is_invisible(character), combines


def _one_space(view: MappedText) -> MappedText:
    text = view.text
    runs = [run for run in _WHITESPACE_RUN.finditer(text) if run.group() != " "]
    if not runs:
        return view
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    position = 0
    for run in runs:
        chars.append(text[position : run.start()])
        starts.extend(view.starts[position : run.start()])
        ends.extend(view.ends[position : run.start()])
        chars.append(" ")
        starts.append(view.starts[run.start()])
        ends.append(view.ends[run.end() - 1])
        position = run.end()
    chars.append(text[position:])
    starts.extend(view.starts[position:])
    ends.extend(view.ends[position:])
    return MappedText("".join(chars), tuple(starts), tuple(ends))
