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
import itertools
import operator
import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from sudachipy import Dictionary, Morpheme, MorphemeList, SplitMode

from shinsa.screening.text.mapped import (
    UNICODE_PLANES_WITH_FORMAT_CHARACTERS,
    MappedText,
    character_class,
    clean,
    clean_texts,
    deferred,
    resolved,
)

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


_KATAKANA_RUN = re.compile("[\u30a1-\u30f6\u30fd\u30fe]+")


def fold_kana(text: str) -> str:
    # Only the katakana runs go through the table: ``str.translate`` looks up every character.
    return _KATAKANA_RUN.sub(_fold_run, text)


def _fold_run(run: re.Match[str]) -> str:
    return run.group().translate(KANA_FOLD)


def _is_separator(character: str) -> bool:
    return unicodedata.category(character)[0] in "PSZ"


# Runs to fold in the normalized view: an elongation mark doubled or more, a kana three times or more.
# Each match is a whole run of one character (the first alternative wins for っ), kept as its first.
_FOLDABLE_RUN = re.compile(r"([ーっ!~])\1+|([\u3041-\u30fa])\2{2,}")
_FIRST_OF_RUN = r"\1\2"


@functools.cache
def _joinable() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A whole run of separators between two Japanese characters that are not separators themselves
    (the run is greedy and the two classes are disjoint, so only maximal runs match): for text within
    the BMP (classes that ``re`` checks in constant time), and for any text. Planes 0, 1 and 14 hold
    every separator Unicode has; the CJK planes 2 and 3 none."""
    separators = [code for code in UNICODE_PLANES_WITH_FORMAT_CHARACTERS if _is_separator(chr(code))]
    japanese = [code for code in range(0x20000) if is_japanese(chr(code)) and not _is_separator(chr(code))]
    bmp_japanese = character_class([code for code in japanese if code < 0x10000])
    bmp_separators = character_class([code for code in separators if code < 0x10000])
    any_japanese = character_class(japanese) + "\\U00020000-\\U0003ffff"
    any_separators = character_class(separators)
    return _run_between(bmp_japanese, bmp_separators), _run_between(any_japanese, any_separators)


def _run_between(japanese: str, separators: str) -> re.Pattern[str]:
    # ``(?<=J)S+(?=J)``, written to begin with the separator class so that ``re`` skips every other
    # character in its search loop instead of trying a match at each: the first separator, then (the
    # look-behind being two characters wide) that a Japanese character is before it, then the rest of
    # the run (a shorter one cannot be followed by a Japanese character: the classes are disjoint).
    return re.compile(f"[{separators}](?<=[{japanese}][{separators}])[{separators}]*(?=[{japanese}])")


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _joining(text: str) -> re.Pattern[str]:
    bmp, anywhere = _joinable()
    return anywhere if _ASTRAL.search(text) else bmp


def join_separated(view: MappedText) -> MappedText:
    """Drop runs of separators whose neighbours on both sides are Japanese characters."""
    return view.without_matches(_joining(view.text))


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


class Morphemes(NamedTuple):
    """SudachiPy's morphemes of a text: ``ends`` is 0 then where each morpheme ends, ``forms`` their
    normalized forms (when asked for; a morpheme of no length then left out, its span's morpheme
    standing for it)."""

    ends: list[int]
    forms: list[str]


def morphemes(texts: Iterable[str], *, normalized: bool) -> list[Morphemes]:
    """The morphemes of each text (split mode C), read as two lists straight from SudachiPy's."""
    return [_read(_tokenized(text), normalized=normalized) for text in texts]


def _tokenized(text: str) -> Sequence[Morpheme]:
    tokenizer = _tokenizer()
    if len(text) <= SUDACHI_CHUNK:  # one piece: nearly every text
        return tokenizer.tokenize(text)
    return [
        morpheme
        for offset in range(0, len(text), SUDACHI_CHUNK)
        for morpheme in tokenizer.tokenize(text[offset : offset + SUDACHI_CHUNK])
    ]


def _read(listed: Sequence[Morpheme], *, normalized: bool) -> Morphemes:
    """Morphemes tile the text (each begins where the one before it ends), so their ends are the
    running sum of their lengths (``len`` of a morpheme is ``end() - begin()``)."""
    lengths = list(map(len, listed))
    forms = [morpheme.normalized_form() for morpheme in listed] if normalized else []
    if normalized and 0 in lengths:  # a morpheme of no length: the form of the one with the span stands
        forms = list(itertools.compress(forms, lengths))
        lengths = list(filter(None, lengths))
    return Morphemes(list(itertools.accumulate(lengths, initial=0)), forms)


def _has_empty(listed: Sequence[Morpheme], text: str) -> bool:
    """Whether a morpheme of ``text`` has no length (SudachiPy's own normalisation expanded a character
    into several morphemes). For text without a space, one call: a MorphemeList's ``str`` is the
    surfaces joined by spaces, so an empty surface shows as a space at either end or two together."""
    if type(listed) is MorphemeList and " " not in text and _surfaces_joined_by_spaces():
        surfaces = str(listed)
        return "  " in surfaces or surfaces[:1] == " " or surfaces[-1:] == " "
    return 0 in map(len, listed)


@functools.cache
def _surfaces_joined_by_spaces() -> bool:
    return str(_tokenizer().tokenize("猫が")) == "猫 が"


class JapaneseViews(NamedTuple):
    surface: MappedText
    boundaries: frozenset[int]  # empty unless tokens were asked for
    normalized: MappedText | None


class Prepared(NamedTuple):
    """What ``japanese_views`` can take from ``japanese_texts`` for one text: its ``clean`` view and,
    when tokens or the normalized view were asked for, the morphemes of its joined surface."""

    cleaned: MappedText
    morphemes: Morphemes | None


def japanese_views(
    text: str, *, tokens: bool, normalized: bool, prepared: Prepared | None = None
) -> JapaneseViews:
    """The views of ``text``; ``tokens``/``normalized`` say which the lexicon needs (both need SudachiPy)."""
    found = None
    if prepared is None:
        joined = join_separated(clean(text))
    else:
        joined = join_separated(prepared.cleaned)
        found = prepared.morphemes
    surface = MappedText(fold_kana(joined.text), joined.starts, joined.ends)
    if not (tokens or normalized):
        return JapaneseViews(surface, frozenset(), None)
    if found is None:
        [found] = morphemes([joined.text], normalized=normalized)
    boundaries = frozenset(found.ends)  # (a zero-length morpheme's end is the one before it)
    if not normalized:
        return JapaneseViews(surface, boundaries, None)
    ends, forms = found
    normal = deferred(_normal_text(forms), functools.partial(_normalized_map, joined, ends, forms))
    return JapaneseViews(surface, boundaries, _collapse_runs(normal))


def _normal_text(forms: list[str]) -> str:
    # casefold and the kana fold work character by character: folding the joined forms is folding each
    return fold_kana("".join(forms).casefold())


# Joins the texts of ``japanese_texts``: neither Japanese nor a separator, so no step looks across it, and
# in no view of anything else (a text that holds it is not batched).
TEXT_SEPARATOR = "\ue000"


class JapaneseTexts(NamedTuple):
    """The texts of the views of several texts, each view's joined by ``TEXT_SEPARATOR``."""

    surface: str
    normalized: str | None  # when asked for
    texts: Sequence[str]
    tokenized: list[Sequence[Morpheme]]  # per text, when the normalized view was asked for
    forms: list[list[str]]  # per text, the normalized forms of its morphemes that have a length

    def prepared(self, index: int) -> Prepared:
        found = None
        if self.tokenized:
            listed = self.tokenized[index]
            lengths = list(filter(None, map(len, listed)))  # as _read keeps them
            found = Morphemes(list(itertools.accumulate(lengths, initial=0)), self.forms[index])
        return Prepared(clean(self.texts[index]), found)


def japanese_texts(texts: Sequence[str], *, normalized: bool) -> JapaneseTexts:
    """What ``japanese_views`` gives each of ``texts`` (none holding ``TEXT_SEPARATOR``), texts only,
    joined by ``TEXT_SEPARATOR``: every step but SudachiPy (and ``clean``) runs once for them all, so a
    lexicon scans many short texts (subtitle cues) in one pass, and only a text it finds something in
    needs its views, with maps and token boundaries, built (from its morphemes kept here). Each step
    works within a text: the separator is neither Japanese nor a separator, nor part of a run, nor
    changed by any fold. (Tokens alone need no SudachiPy here: only the surface is scanned.)"""
    joined = _join_separated_text(clean_texts(texts, TEXT_SEPARATOR))
    surface = fold_kana(joined)
    if not normalized:
        return JapaneseTexts(surface, None, texts, [], [])
    pieces = joined.split(TEXT_SEPARATOR)
    tokenized = [_tokenized(piece) for piece in pieces]
    forms = [
        [morpheme.normalized_form() for morpheme in listed]
        if not _has_empty(listed, piece)
        else _read(listed, normalized=True).forms
        for listed, piece in zip(tokenized, pieces, strict=True)
    ]
    normal = _normal_text([TEXT_SEPARATOR.join(["".join(each) for each in forms])])
    return JapaneseTexts(surface, _collapse_runs_text(normal), texts, tokenized, forms)


def _join_separated_text(text: str) -> str:
    """``join_separated(view).text`` for a view with this text."""
    return _joining(text).sub("", text)


def _normalized_map(joined: MappedText, ends: list[int], forms: list[str]) -> tuple[list[int], list[int]]:
    """Each normalized form replaces its morpheme's surface: character by character when it has as
    many characters, else each of its characters maps to the whole surface."""
    starts_of, ends_of = resolved(joined.starts), resolved(joined.ends)
    lengths = list(map(len, map(str.casefold, forms)))
    spans = list(map(operator.sub, itertools.islice(ends, 1, None), ends))
    new_starts: list[int] = []
    new_ends: list[int] = []
    copied = 0  # the surface up to here is in the map, character by character
    for index in itertools.compress(range(len(forms)), map(operator.ne, lengths, spans)):
        begin, end, length = ends[index], ends[index + 1], lengths[index]
        new_starts.extend(starts_of[copied:begin])
        new_ends.extend(ends_of[copied:begin])
        new_starts.extend([starts_of[begin]] * length)
        new_ends.extend([ends_of[end - 1]] * length)
        copied = end
    new_starts.extend(starts_of[copied : ends[-1]])
    new_ends.extend(ends_of[copied : ends[-1]])
    return new_starts, new_ends


_DOUBLED = re.compile(r"(.)\1", re.DOTALL)  # a quick look first: most texts repeat no character


def _collapse_runs(view: MappedText) -> MappedText:
    if _DOUBLED.search(view.text) is None:
        return view
    return view.without_matches(_FOLDABLE_RUN, first_of=_FIRST_OF_RUN)


def _collapse_runs_text(text: str) -> str:
    """``_collapse_runs(view).text`` for a view with this text."""
    return _FOLDABLE_RUN.sub(_FIRST_OF_RUN, text) if _DOUBLED.search(text) else text


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
