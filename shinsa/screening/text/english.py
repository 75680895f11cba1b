"""English text views for lexicon matching.

- **surface**: invisible characters removed, NFKC (full-width letters become ASCII), case folded, one
  space per run of whitespace.
- **normalized**: the surface with simple obfuscations undone, in this order, within each run of
  non-space characters (a "chunk"): leetspeak (``k1ll``, ``@ss``, ``sh!t``), symbols inserted between
  letters (``ki*ll``, ``f.u.c.k``), hyphens between single letters (``k-i-l-l``); across chunks, single
  letters spaced out (``k i l l``); finally repeated letters squeezed to one (``kiiill`` and ``kill``
  both read ``kil``: terms go through the same steps, so they still meet).

Words are runs of letters and digits; ``exact`` and ``normalized`` terms match whole words only.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from shinsa.screening.text.mapped import MappedText, clean, deferred, resolved

LEETSPEAK = {
    "0": "o",
    "1": "i",
    "3": "e",
    "4": "a",
    "5": "s",
    "7": "t",
    "8": "b",
    "9": "g",
    "@": "a",
    "$": "s",
    "!": "i",
    "|": "l",
    "+": "t",
}
# Punctuation that ends words: read as a letter only when more of the word follows (sh!t, not hi!).
_ONLY_INSIDE = frozenset("!|+")
_KEPT_INSIDE = frozenset("-'’")  # self-harm, don't: real word joins, not obfuscation
_SPACED_LETTERS = 3  # k i l l: at least this many single letters in a row are joined


def is_word_character(character: str) -> bool:
    return character.isalnum()


class EnglishViews(NamedTuple):
    surface: MappedText
    normalized: MappedText | None


def english_views(text: str, *, normalized: bool) -> EnglishViews:
    surface = clean(text)
    return EnglishViews(surface=surface, normalized=deobfuscate(surface) if normalized else None)


# Where the chunk steps could change something (a superset): a leetspeak digit or symbol, ! | + with
# more of the chunk after it, or a symbol inside a chunk (apostrophes are kept inside words anyway).
_MAY_UNDO = re.compile(r"[013-57-9@$]|[!|+](?=[^ ])|(?<=[^ ])(?:[^\w '’]|_)(?=[^ ])")
_MAY_JOIN = re.compile(r"(?<![^ ])[^ ] [^ ] [^ ](?![^ ])")  # three one-character chunks in a row
_REPEAT = re.compile(r"([^\W\d_])\1+")


def deobfuscate(view: MappedText) -> MappedText:
    """The normalized view. Most text has nothing to undo but repeated letters: those are squeezed
    with one regex, the map built on first use; anything else takes ``deobfuscate_general``."""
    text = view.text
    if _MAY_UNDO.search(text) or _MAY_JOIN.search(text):
        return deobfuscate_general(view)
    runs = list(_REPEAT.finditer(text))
    if not runs:
        return view
    if not all(run.group(1).isalpha() for run in runs):  # \w letters that are not alphabetic: rare
        return deobfuscate_general(view)

    def build() -> tuple[list[int], list[int]]:
        own_starts, own_ends = resolved(view.starts), resolved(view.ends)
        starts: list[int] = []
        ends: list[int] = []
        position = 0
        for run in runs:
            first = run.start()
            starts.extend(own_starts[position : first + 1])
            ends.extend(own_ends[position:first])
            ends.append(own_ends[run.end() - 1])  # the kept letter stands for the whole run
            position = run.end()
        starts.extend(own_starts[position:])
        ends.extend(own_ends[position:])
        return starts, ends

    return deferred(_REPEAT.sub(r"\1", text), build)


def deobfuscate_general(view: MappedText) -> MappedText:
    """``deobfuscate`` for any text, position by position (the reference for the fast path)."""
    text = view.text
    out = list(text)  # the new character for each position; "" drops it
    chunks = _chunks(text)
    for first, last in chunks:
        _undo_chunk(text, out, first, last)
    _join_spaced_letters(text, out, chunks)
    run_ends = _squeeze(out)
    # Every position now holds one character or none: the map is a selection (cheaper than rebuilt()).
    kept = [index for index, new in enumerate(out) if new]
    return MappedText(
        "".join(out),
        tuple(view.starts[index] for index in kept),
        tuple(view.ends[run_ends.get(index, index)] for index in kept),
    )


def _chunks(text: str) -> list[tuple[int, int]]:
    chunks = []
    index = 0
    while index < len(text):
        if text[index] == " ":
            index += 1
            continue
        last = index
        while last + 1 < len(text) and text[last + 1] != " ":
            last += 1
        chunks.append((index, last))
        index = last + 1
    return chunks


def _undo_chunk(text: str, out: list[str], first: int, last: int) -> None:
    chunk = text[first : last + 1]
    if any(character.isalpha() for character in chunk):
        for index in range(first, last + 1):
            character = text[index]
            if character not in LEETSPEAK:
                continue
            if character in _ONLY_INSIDE and not (index < last and _continues_word(text[index + 1])):
                continue
            out[index] = LEETSPEAK[character]
    # Symbols between two letters or digits are inserted noise: ki*ll, f.u.c.k.
    for index in range(first + 1, last):
        if out[index] and not out[index].isalnum() and text[index] not in _KEPT_INSIDE:
            if _neighbour_is_word(out, index, -1, first) and _neighbour_is_word(out, index, +1, last):
                out[index] = ""
    # Hyphens between single letters: k-i-l-l.
    parts = chunk.split("-")
    if len(parts) >= _SPACED_LETTERS and all(len(part) == 1 for part in parts):
        for index in range(first, last + 1):
            if text[index] == "-":
                out[index] = ""


def _continues_word(character: str) -> bool:
    return character.isalnum() or (character in LEETSPEAK and character not in _ONLY_INSIDE)


def _neighbour_is_word(out: list[str], index: int, step: int, stop: int) -> bool:
    position = index + step
    while (position >= stop) if step < 0 else (position <= stop):
        if out[position]:
            return out[position].isalnum()
        position += step
    return False


def _join_spaced_letters(text: str, out: list[str], chunks: list[tuple[int, int]]) -> None:
    run: list[tuple[int, int]] = []
    for chunk in [*chunks, (-1, -2)]:
        first, last = chunk
        single = first == last and first >= 0 and out[first].isalnum()
        adjacent = run and first == run[-1][1] + 2  # exactly one space between
        if single and (adjacent or not run):
            run.append(chunk)
            continue
        if len(run) >= _SPACED_LETTERS:
            for previous in run[1:]:
                out[previous[0] - 1] = ""  # the space before it
        run = [chunk] if single else []


def _squeeze(out: list[str]) -> dict[int, int]:
    """Keep the first letter of each run of one letter; returns, per kept letter, the last position of
    its run, so the letter maps back to the whole run (youuu, not you)."""
    run_ends: dict[int, int] = {}
    previous, kept = "", -1
    for index, character in enumerate(out):
        if not character:
            continue
        if character == previous and character.isalpha():
            out[index] = ""
            run_ends[kept] = index
            continue
        previous, kept = character, index
    return run_ends
