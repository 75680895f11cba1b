"""Japanese cues are screened in batches: the views' texts of many cues joined by a separator, one scan
per view, and only the cues where a key is found get their views with maps. The hits must be exactly
those of screening each cue on its own, and nothing may be found across two cues.
"""

from __future__ import annotations

import random
import unicodedata

import pytest

from shinsa.screening.subtitles.cues import Cue, Ruby
from shinsa.screening.text import matcher
from shinsa.screening.text.japanese import (
    TEXT_SEPARATOR,
    _has_empty,
    _tokenized,
    fold_kana,
    is_japanese,
    japanese_texts,
    japanese_views,
    morphemes,
    tokenize,
)
from shinsa.screening.text.mapped import clean, clean_texts
from shinsa.screening.text.matcher import CueHit, screen_cues, screen_text
from tests.screening.text.test_fast_paths import HOSTILE, _random_texts

TERMS = [
    {"term": "ころす", "match": "substring"},
    {"term": "死ね", "match": "substring"},
    {"term": "しね", "match": "exact"},
    {"term": "シャブ", "match": "exact"},
    {"term": "殺してやる", "match": "normalized"},
    {"term": "打ち合わせ", "match": "normalized"},
    {"term": "付属", "match": "normalized"},
    {"term": "凄い", "match": "normalized"},
    {"term": "ガイド", "match": "substring"},
    {"term": "いか", "match": "normalized"},
]
# Pieces that make hits, near-hits and hits split over two cues (a cue ending in こ, the next
# beginning with ろす: nothing may be found there).
PIECES = [
    "ころす",
    "こ",
    "ろす",
    "死",
    "ね",
    "しね",
    "しねえよ",
    "シャブ",
    "しゃぶしゃぶ",
    "ころしてやる",
    "殺してやる",
    "打合せ",
    "附属",
    "すげーーー",
    "ｶﾞｲﾄﾞ",
    "ｶﾞ",
    "ｲﾄﾞ",
    "待って！置いていかないで。",
    "、",
    "・",
    " ",
    "\n",
    "\u200b",
    "\u202e",
    "ﾞ",
    "\u0301",
    "…",
    "㈱",
    "ＡＢＣ",
    "kill",
    "𠮷",
    "\U0001f600",
    "",
]


def _cue_texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(PIECES) for _ in range(rng.randrange(0, 6))) for _ in range(count)]


def _cues(texts: list[str]) -> list[Cue]:
    return [
        Cue(start_ms=index * 1000, end_ms=index * 1000 + 900, text=text, markup=text)
        for index, text in enumerate(texts)
    ]


def reference_cue_hits(cues: list[Cue], lexicon) -> list[CueHit]:
    """Each cue screened on its own, as ``screen_text`` does."""
    return [
        CueHit(cue_index=index, start_ms=cue.start_ms, end_ms=cue.end_ms, hit=hit)
        for index, cue in enumerate(cues)
        for hit in screen_text(cue.text, lexicon)
    ]


@pytest.mark.parametrize("batch_characters", [1, 40, 16_384])
def test_batched_cues_get_exactly_the_hits_of_each_cue_screened_alone(
    make_lexicon, monkeypatch, batch_characters
):
    monkeypatch.setattr(matcher, "BATCH_CHARACTERS", batch_characters)
    lexicon = make_lexicon("ja", TERMS)
    cues = _cues(_cue_texts(600, seed=batch_characters) + HOSTILE)
    expected = reference_cue_hits(cues, lexicon)
    assert len(expected) > 100  # the pieces make plenty of hits
    assert screen_cues(cues, lexicon) == expected


def test_nothing_is_found_across_two_cues(make_lexicon):
    lexicon = make_lexicon("ja", TERMS)
    # Each pair of neighbours reads a term when joined: こ|ろす, 死|ね, し|ね, 打合|せ, ガイ|ド, ころ|す.
    texts = ["まずこ", "ろすぞ", "死", "ね", "し", "ね", "打合", "せ", "ｶﾞｲ", "ﾄﾞ", "ころ", "すけ"]
    assert screen_cues(_cues(texts), lexicon) == []
    assert [hit.hit.matched_text for hit in screen_cues(_cues(["こ ろ す", "死・ね"]), lexicon)] == [
        "こ ろ す",
        "死・ね",
    ]


def test_a_cue_holding_the_separator_is_screened_on_its_own(make_lexicon):
    lexicon = make_lexicon("ja", TERMS)
    texts = ["ころ", f"す{TEXT_SEPARATOR}ころす", "死ね"]
    hits = screen_cues(_cues(texts), lexicon)
    assert [(hit.cue_index, hit.hit.start, hit.hit.matched_text) for hit in hits] == [
        (1, 2, "ころす"),
        (2, 0, "死ね"),
    ]
    assert hits == reference_cue_hits(_cues(texts), lexicon)


def test_ruby_readings_of_cues_between_batches_are_still_screened(make_lexicon):
    lexicon = make_lexicon("ja", TERMS)
    cue = Cue(
        start_ms=0,
        end_ms=1000,
        text="あいつは天才だ",
        markup="",
        ruby=(Ruby(base="天才", reading="ころす", start=4, end=6),),
    )
    [hit] = screen_cues([*_cues(["こんにちは"]), cue], lexicon)
    assert (hit.cue_index, hit.reading, hit.hit.start, hit.hit.end) == (1, "ころす", 4, 6)


@pytest.mark.parametrize("seed", range(4))
def test_the_batch_texts_are_each_texts_views_joined(seed):
    texts = _cue_texts(120, seed=seed) + HOSTILE + _random_texts(60, seed=seed)
    texts = [text for text in texts if TEXT_SEPARATOR not in text]
    batch = japanese_texts(texts, normalized=True)
    views = [japanese_views(text, tokens=True, normalized=True) for text in texts]
    assert batch.surface == TEXT_SEPARATOR.join(view.surface.text for view in views)
    assert batch.normalized == TEXT_SEPARATOR.join(view.normalized.text for view in views)
    for index, (text, view) in enumerate(zip(texts, views, strict=True)):
        prepared = batch.prepared(index)
        assert frozenset(prepared.morphemes.ends) == view.boundaries
        again = japanese_views(text, tokens=True, normalized=True, prepared=prepared)
        for mine, theirs in ((again.surface, view.surface), (again.normalized, view.normalized)):
            assert mine.text == theirs.text
            assert (list(mine.starts), list(mine.ends)) == (list(theirs.starts), list(theirs.ends))


@pytest.mark.parametrize("tokens", [False, True])
def test_without_the_normalized_view_a_batch_holds_the_surface_alone(tokens):
    texts = _cue_texts(50, seed=9)
    batch = japanese_texts(texts, normalized=False)
    views = [japanese_views(text, tokens=tokens, normalized=False) for text in texts]
    assert batch.surface == TEXT_SEPARATOR.join(view.surface.text for view in views)
    assert batch.normalized is None and batch.tokenized == []
    for index, (text, view) in enumerate(zip(texts, views, strict=True)):
        again = japanese_views(text, tokens=tokens, normalized=False, prepared=batch.prepared(index))
        assert again.boundaries == view.boundaries and again.surface.text == view.surface.text


@pytest.mark.parametrize(
    "text",
    [
        "もう死にたい…",  # SudachiPy expands … into three morphemes, two of them of no length
        "‼待て⁉",
        "ŉ ŀ ℅",
        "あ" * 5000 + "…" + "い" * 5000,  # tokenised in pieces
        "",
    ],
)
def test_morphemes_are_tokenize_read_as_ends_and_forms(text):
    [found] = morphemes([text], normalized=True)
    reference = tokenize(text)  # (begin, end, form) of each morpheme with characters
    assert found.ends == [0, *(end for _begin, end, _form in reference)]
    assert found.forms == [form for _begin, _end, form in reference]
    [tokens_only] = morphemes([text], normalized=False)
    assert set(tokens_only.ends) == set(found.ends) and tokens_only.forms == []


def test_the_separator_is_kept_by_clean_and_no_step_joins_across_it():
    assert clean(TEXT_SEPARATOR).text == TEXT_SEPARATOR
    assert not is_japanese(TEXT_SEPARATOR)
    assert unicodedata.category(TEXT_SEPARATOR)[0] not in "PSZ"  # not dropped between Japanese
    assert fold_kana(TEXT_SEPARATOR) == TEXT_SEPARATOR == TEXT_SEPARATOR.casefold()
    texts = HOSTILE + _random_texts(200, seed=3)
    assert clean_texts(texts, TEXT_SEPARATOR) == TEXT_SEPARATOR.join(clean(text).text for text in texts)


def test_an_empty_morpheme_is_seen_from_the_surfaces_as_from_the_lengths():
    texts = ["もう死にたい…", "…", "‼待て", "待て⁉", "ŉ", "猫が", "", "… …", "a b", *_cue_texts(300, seed=5)]
    texts += _random_texts(300, seed=6)
    empty = 0
    for text in texts:
        listed = _tokenized(text)
        has_empty = 0 in map(len, listed)
        assert _has_empty(listed, text) == has_empty, text
        empty += has_empty
    assert empty >= 6
