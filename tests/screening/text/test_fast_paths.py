"""The fast paths of text normalisation give exactly the views and spans of the general paths.

Each fast step (one translate for ``clean``, regexes for joining separators, folding runs and squeezing
repeated letters, the normalized view built straight from SudachiPy's morphemes, maps built on first
use) is checked against the position-by-position reference on hostile text and on seeded random mixes.
"""

from __future__ import annotations

import itertools
import random
import unicodedata

import pytest

from shinsa.screening.text.english import deobfuscate, deobfuscate_general, english_views
from shinsa.screening.text.japanese import (
    _collapse_runs,
    _collapse_runs_general,
    fold_kana,
    japanese_views,
    join_separated,
    join_separated_general,
    tokenize,
)
from shinsa.screening.text.mapped import (
    UNICODE_PLANES_WITH_FORMAT_CHARACTERS,
    MappedText,
    clean,
    clean_general,
    is_invisible,
)

HOSTILE = [
    "",
    " ",
    "死\u200bね",
    "死\u200c\u200d\u2060ね",
    "\ufeffしね\u00ad",
    "\u202eねし\u202c と \u2066死ね\u2069",
    "ｶﾞｲﾄﾞの話ﾊﾟﾋﾟﾌﾟ",
    "ｶ\u200bﾞｲ",  # an invisible character between a kana and its voicing mark
    "ﾞｶﾞ",  # a voicing mark with nothing before it
    "し ね・死　ね、死‐ね/し*ね",
    "し\u3000\u3000ね",
    "カ・タ・カ・ナ",
    "すげーーーー！！！しねええええええっっっ～～",
    "ころすうううう、ころーーす",
    "㈱㌔ßﬁＡＢＣ１２３",
    "e\u0301\u0301 café",
    "𠮷野家で死\U0001f600ね 𠮷・𠮷",
    "\U000e0041\U000e0042死ね\U000e007f",
    "line one\r\nline two\n\n\tthree",
    "\x00\x07nul\x1f and \x85 nel",
    "k1ll k i l l sh!t f.u.c.k k-i-l-l kiiiill youuu self-harm don't",
    "I'll k1ll you!! Wait... what?! ²² éé",
    "\u034f\u3164\ufe0f\U000e0100 死ね",
]
_POOL = [
    *"死ねしころすカタカナｶﾞｲﾄﾞﾊﾟ゙゚ーっ!！?？・、。 　\n\t\r",
    *"\u200b\u200c\u200d\u2060\ufeff\u00ad\u202e\u202a\u2066\u2069\ufe0f\u034f\u3164",
    *"㈱㌔ßﬁＡｃkilshtyou0134@$|+-.'’*_~²é\u0301",
    "\U00020b9f",
    "\U0001f600",
    "\U000e0041",
    "\x00",
    "\x85",
    "\u2028",
    "k i l l ",
    "ーーー",
    "ええええ",
]


def _random_texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(_POOL) for _ in range(rng.randrange(0, 30))) for _ in range(count)]


CASES = HOSTILE + _random_texts(400, seed=20261125)


def same(fast: MappedText | None, general: MappedText | None) -> None:
    assert fast is not None and general is not None
    assert fast.text == general.text
    assert list(fast.starts) == list(general.starts)
    assert list(fast.ends) == list(general.ends)


@pytest.mark.parametrize("text", CASES)
def test_clean_and_the_japanese_steps_match_the_general_paths(text):
    cleaned = clean(text)
    same(cleaned, clean_general(text))
    joined = join_separated(cleaned)
    same(joined, join_separated_general(cleaned))
    same(_collapse_runs(joined), _collapse_runs_general(joined))


def reference_japanese_views(text: str) -> tuple[MappedText, frozenset[int], MappedText]:
    """The views built as before the fast paths: tokenize() pieces, rebuilt(), the run-by-run fold."""
    joined = join_separated_general(clean_general(text))
    surface = MappedText(fold_kana(joined.text), joined.starts, joined.ends)
    morphemes = tokenize(joined.text)
    boundaries = frozenset([0, *(end for _begin, end, _form in morphemes)])
    pieces = ((fold_kana(form.casefold()), begin, end - 1) for begin, end, form in morphemes)
    return surface, boundaries, _collapse_runs_general(joined.rebuilt(pieces))


@pytest.mark.parametrize("text", HOSTILE + _random_texts(150, seed=1125))
def test_the_japanese_views_match_the_reference(text):
    surface, boundaries, normalized = reference_japanese_views(text)
    views = japanese_views(text, tokens=True, normalized=True)
    same(views.surface, surface)
    assert views.boundaries == boundaries
    same(views.normalized, normalized)
    assert japanese_views(text, tokens=True, normalized=False).boundaries == boundaries


@pytest.mark.parametrize("text", CASES)
def test_english_deobfuscation_matches_the_general_path(text):
    surface = english_views(text, normalized=False).surface
    same(deobfuscate(surface), deobfuscate_general(surface))


def test_a_deferred_map_is_built_on_first_use_and_reads_like_the_eager_one():
    text = "すげーーー！見て、あの光！"
    view = japanese_views(text, tokens=False, normalized=False).surface
    assert view.text == "すげーーー見てあの光!"  # ！ and 、 between Japanese characters dropped
    cell = view.starts._cell  # the map is not built until it is read
    assert cell[1] is None
    assert view.original_span(7, 9) == (9, 11)  # あの, after the dropped 、
    assert cell[1] is not None
    assert len(view.starts) == len(view.text)
    assert list(view.starts[4:8]) == [4, 6, 7, 9]
    assert text[slice(*view.original_span(0, len(view.text)))] == text


def test_clean_matches_the_general_path_on_every_short_mix_of_character_kinds():
    # Plain, combining (ﾞ ゙ ◌́), invisible, expanding (㈱ ß), white space and full-width characters:
    # every string of up to four of them, so each way a segment can begin and end is met.
    alphabet = ["a", "ｶ", "ﾞ", "\u3099", "\u0301", "\u200b", "㈱", "ß", " ", "\n", "！", "é"]
    texts = [""]
    for _ in range(4):
        texts += ["".join(pair) for pair in itertools.product(texts[-(len(alphabet) ** _) :], alphabet)]
    assert len(texts) == sum(len(alphabet) ** length for length in range(5))
    for text in texts:
        same(clean(text), clean_general(text))


def test_no_invisible_character_or_separator_lies_outside_the_planes_the_fast_classes_cover():
    assert UNICODE_PLANES_WITH_FORMAT_CHARACTERS == (*range(0x20000), *range(0xE0000, 0xE1000))
    for code in itertools.chain(range(0x20000, 0xE0000), range(0xE1000, 0x110000)):
        character = chr(code)
        assert not is_invisible(character) and unicodedata.category(character)[0] not in "PSZ", hex(code)
