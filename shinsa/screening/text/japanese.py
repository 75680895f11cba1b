"""Japanese text views for lexicon matching (REFERENCE §3, normalisation).

- **surface**: invisible characters removed, NFKC (width), case folded, katakana folded to hiragana,
  and separators (spaces, punctuation, symbols) *between two Japanese characters* removed: Japanese
  does not separate words with spaces, so 死 ね, 死・ね and 死\u200bね all read 死ね.
- **normalized**: the separator-free text tokenised by SudachiPy (split mode C, core dictionary), each
  token replaced by its normalized form (附属→付属, 打合せ→打ち合わせ, 行なう→行う, ころす→殺す,
  conjugations to the dictionary form), then kana folded and elongations collapsed (ーー→ー).
- **boundaries**: the token boundaries of the surface view, for whole-word (``exact``) matching.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from typing import NamedTuple

from sudachipy import Dictionary, SplitMode

from shinsa.screening.text.mapped import MappedText, clean, deferred

# SudachiPy refuses input over about 49 KB of UTF-8; long texts are tokenised in pieces this long.
SUDACHI_CHUNK = 4096
_ELONGATION = frozenset("ーっ!~")
_LONG_RUN = 3  # a kana repeated this often is emphasis (しねええええ), folded to one


def is_japanese(character: str) -> bool:
    code = ord(character)
    return (
        0x3040 <= code <= 0x30FF  # hiragana, katakana, ー
        or 0x3400 <= code <= 0x4DBF
        or 0x4E00 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x3FFFF
        or code in (0x3005, 0x3006, 0x3007)  # 々 〆 〇
    )


class _KanaTable(dict):
    """Katakana to hiragana, one character to one (ヴ→ゔ, ヶ→ゖ, ヽ→ゝ); ー and everything else unchanged.
    Every other character is added as itself on first sight: ``str.translate`` is several times
    slower on characters missing from its table."""

    __slots__ = ()

    def __missing__(self, code: int) -> int:
        if len(self) < 65536:
            self[code] = code
        return code


KANA_FOLD = _KanaTable({code: code - 0x60 for code in [*range(0x30A1, 0x30F7), 0x30FD, 0x30FE]})


_KATAKANA = re.compile("[\u30a1-\u30f6\u30fd\u30fe]")


def fold_kana(text: str) -> str:
    return text.translate(KANA_FOLD) if _KATAKANA.search(text) else text


def _is_separator(character: str) -> bool:
    return unicodedata.category(character)[0] in "PSZ"


# Runs to fold in the normalized view: an elongation mark doubled or more, a kana three times or more.
# Each match is a whole run of one character (the first alternative wins for っ), kept as its first.
_FOLDABLE_RUN = re.compile(r"([ーっ!~])\1+|([\u3041-\u30fa])\2{2,}")


def _character_class(codes: list[int]) -> str:
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "".join(f"\\U{first:08x}-\\U{last:08x}" for first, last in ranges)


@functools.cache
def _joinable() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A whole run of separators between two Japanese characters that are not separators themselves
    (the run is greedy and the two classes are disjoint, so only maximal runs match): for text within
    the BMP (classes that ``re`` checks in constant time), and for any text. Planes 0, 1 and 14 hold
    every separator Unicode has; the CJK planes 2 and 3 none."""
    planes = [*range(0x20000), *range(0xE0000, 0xE1000)]
    separators = [code for code in planes if _is_separator(chr(code))]
    japanese = [code for code in range(0x20000) if is_japanese(chr(code)) and not _is_separator(chr(code))]
    bmp_japanese = _character_class([code for code in japanese if code < 0x10000])
    bmp_separators = _character_class([code for code in separators if code < 0x10000])
    any_japanese = _character_class(japanese) + "\\U00020000-\\U0003ffff"
    any_separators = _character_class(separators)
    return (
        re.compile(f"(?<=[{bmp_japanese}])[{bmp_separators}]+(?=[{bmp_japanese}])"),
        re.compile(f"(?<=[{any_japanese}])[{any_separators}]+(?=[{any_japanese}])"),
    )


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def join_separated(view: MappedText) -> MappedText:
    """Drop runs of separators whose neighbours on both sides are Japanese characters."""
    bmp, anywhere = _joinable()
    return view.without_matches(anywhere if _ASTRAL.search(view.text) else bmp)


def join_separated_general(view: MappedText) -> MappedText:
    """``join_separated`` character by character (the reference for the fast path)."""
    text = view.text
    drop: list[int] = []
    index = 0
    while index < len(text):
        if not _is_separator(text[index]):
            index += 1
            continue
        last = index
        while last + 1 < len(text) and _is_separator(text[last + 1]):
            last += 1
        if (
            index > 0
            and last + 1 < len(text)
            and is_japanese(text[index - 1])
            and is_japanese(text[last + 1])
        ):
            drop.extend(range(index, last + 1))
        index = last + 1
    return view.without(drop)


class JapaneseViews(NamedTuple):
    surface: MappedText
    boundaries: frozenset[int]  # empty unless tokens were asked for
    normalized: MappedText | None


def japanese_views(text: str, *, tokens: bool, normalized: bool) -> JapaneseViews:
    """The views of ``text``; ``tokens``/``normalized`` say which the lexicon needs (both need SudachiPy)."""
    joined = join_separated(clean(text))
    text = joined.text
    surface = MappedText(fold_kana(text), joined.starts, joined.ends)
    if not (tokens or normalized):
        return JapaneseViews(surface, frozenset(), None)
    tokenizer = _tokenizer()
    ends: list[int] = [0]
    forms: list[str] = []
    if len(text) <= SUDACHI_CHUNK:  # one piece: nearly every text
        pieces = [(0, tokenizer.tokenize(text))]
    else:
        pieces = [
            (offset, tokenizer.tokenize(text[offset : offset + SUDACHI_CHUNK]))
            for offset in range(0, len(text), SUDACHI_CHUNK)
        ]
    last_end = 0
    for offset, morphemes in pieces:
        if not normalized:
            ends.extend([offset + morpheme.end() for morpheme in morphemes])
            continue
        for morpheme in morphemes:
            end = offset + morpheme.end()
            if end > last_end:  # morphemes are contiguous: each begins where the last one ended
                ends.append(end)
                last_end = end
                forms.append(morpheme.normalized_form())
    boundaries = frozenset(ends)  # (a zero-length morpheme's end is the one before it)
    if not normalized:
        return JapaneseViews(surface, boundaries, None)
    # casefold and the kana fold work character by character: folding the joined forms is folding each
    normal_text = fold_kana("".join(forms).casefold())
    normal = deferred(normal_text, functools.partial(_normalized_map, joined, ends, forms))
    return JapaneseViews(surface, boundaries, _collapse_runs(normal))


def _normalized_map(joined: MappedText, ends: list[int], forms: list[str]) -> tuple[list[int], list[int]]:
    """Each normalized form replaces its morpheme's surface: character by character when it has as
    many characters, else each of its characters maps to the whole surface."""
    starts_of, ends_of = joined.starts, joined.ends
    new_starts: list[int] = []
    new_ends: list[int] = []
    for index, form in enumerate(forms):
        begin, end = ends[index], ends[index + 1]
        length = len(form.casefold())
        if length == end - begin:
            new_starts.extend(starts_of[begin:end])
            new_ends.extend(ends_of[begin:end])
        else:
            new_starts.extend([starts_of[begin]] * length)
            new_ends.extend([ends_of[end - 1]] * length)
    return new_starts, new_ends


_DOUBLED = re.compile(r"(.)\1", re.DOTALL)  # a quick look first: most texts repeat no character


def _collapse_runs(view: MappedText) -> MappedText:
    if _DOUBLED.search(view.text) is None:
        return view
    return view.without_matches(_FOLDABLE_RUN, first_of=r"\1\2")


def _collapse_runs_general(view: MappedText) -> MappedText:
    text = view.text
    drop: list[int] = []
    run_start = 0
    for index in range(1, len(text) + 1):
        if index < len(text) and text[index] == text[index - 1]:
            continue
        character = text[run_start]
        run = index - run_start
        if (character in _ELONGATION and run >= 2) or (run >= _LONG_RUN and _is_kana(character)):
            drop.extend(range(run_start + 1, index))
        run_start = index
    return view.without(drop)


def _is_kana(character: str) -> bool:
    return 0x3041 <= ord(character) <= 0x30FA


def tokenize(text: str) -> list[tuple[int, int, str]]:
    """``(begin, end, normalized form)`` per SudachiPy morpheme (split mode C), covering ``text``."""
    result: list[tuple[int, int, str]] = []
    tokenizer = _tokenizer()
    for offset in range(0, len(text), SUDACHI_CHUNK):
        chunk = text[offset : offset + SUDACHI_CHUNK]
        for morpheme in tokenizer.tokenize(chunk):
            begin, end = morpheme.begin(), morpheme.end()
            if end > begin:
                result.append((offset + begin, offset + end, morpheme.normalized_form()))
    return result


@functools.cache
def _dictionary() -> Dictionary:
    # The core dictionary ships inside the sudachidict-core package: nothing is downloaded.
    return Dictionary(dict="core")


_local = threading.local()


def _tokenizer():  # noqa: ANN202 - sudachipy's Tokenizer type is not importable for annotations
    # A tokenizer is not safe to share between threads; the dictionary is.
    tokenizer = getattr(_local, "tokenizer", None)
    if tokenizer is None:
        tokenizer = _dictionary().tokenizer(mode=SplitMode.C)
        _local.tokenizer = tokenizer
    return tokenizer
