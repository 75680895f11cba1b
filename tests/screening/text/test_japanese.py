"""Japanese views: width, kana, separators, invisible characters and Sudachi normalized forms."""

from __future__ import annotations

import pytest

from shinsa.screening.text.japanese import SUDACHI_CHUNK, fold_kana, japanese_views, tokenize


def test_it_folds_katakana_to_hiragana_one_character_for_one():
    assert fold_kana("カタカナ・ヴァイオリン・ヶ・ー") == "かたかな・ゔぁいおりん・ゖ・ー"


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("ｺﾛｽ", "ころす"),  # half-width katakana
        ("コロス", "ころす"),  # katakana
        ("死 ね", "死ね"),  # inserted space
        ("死　ね", "死ね"),  # ideographic space
        ("死・ね", "死ね"),  # symbol
        ("死_*_ね", "死ね"),
        ("死\u200bね", "死ね"),  # zero width space
        ("死\u202eね", "死ね"),  # right-to-left override
        ("ＡＢＣ　漢字", "abc 漢字"),  # full-width ASCII; the space between Latin and kanji stays
        ("3〜5話", "3〜5話"),  # separators between digits and kanji stay
    ],
)
def test_it_builds_the_surface_view(text, surface):
    assert japanese_views(text, tokens=False, normalized=False).surface.text == surface


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("附属病院", "付属病院"),  # 旧字体/異体字 in dictionary words
        ("打合せ", "打ち合わせ"),  # okurigana
        ("行なう", "行う"),
        ("シュミレーション", "しみゅれーしょん"),  # spelling variant, then kana folding
        ("すげーーー", "凄い"),  # elongation
        ("ころしてやる", "殺すて遣る"),  # kana to kanji and conjugation to dictionary form
        ("殺してやる", "殺すて遣る"),
    ],
)
def test_it_builds_the_normalized_view_from_sudachi_normalized_forms(text, normalized):
    assert japanese_views(text, tokens=False, normalized=True).normalized.text == normalized


def test_it_maps_normalized_tokens_back_to_the_original_span():
    text = "えっ、附属の打合せ？"
    view = japanese_views(text, tokens=True, normalized=True).normalized
    position = view.text.index("打ち合わせ")
    start, end = view.original_span(position, position + len("打ち合わせ"))
    assert text[start:end] == "打合せ"
    position = view.text.index("付属")
    assert text[slice(*view.original_span(position, position + 2))] == "附属"


def test_it_gives_token_boundaries_of_the_surface_view():
    views = japanese_views("しねえよ", tokens=True, normalized=False)
    assert 2 not in views.boundaries  # し|ねえ|よ: no word ends after しね
    assert 2 in japanese_views("しね", tokens=True, normalized=False).boundaries


def test_it_tokenizes_text_longer_than_sudachi_accepts_in_pieces():
    text = "あ" * (SUDACHI_CHUNK * 3 + 5)
    tokens = tokenize(text)
    assert tokens[0][0] == 0 and tokens[-1][1] == len(text)
    assert all(end > begin for begin, end, _form in tokens)
