"""screen_text and screen_cues: match modes, hits mapped to the original text, cue time ranges."""

from __future__ import annotations

import random

import pytest

from shinsa.policy.schemas import Severity
from shinsa.screening.subtitles import parse_subtitle_bytes
from shinsa.screening.text import MatchMode, screen_cues, screen_metadata, screen_text
from shinsa.screening.text.matcher import compiled


def found(text: str, lexicon) -> list[tuple[str, str]]:
    """(term id, original text of the hit) per hit; the offsets must cut exactly that text."""
    hits = screen_text(text, lexicon)
    for hit in hits:
        assert text[hit.start : hit.end] == hit.matched_text
    return [(hit.term_id, hit.matched_text) for hit in hits]


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("ｺﾛｽ", "ｺﾛｽ"),  # half-width katakana
        ("コロス", "コロス"),  # katakana for a hiragana term
        ("お前をこ ろ すぞ", "こ ろ す"),  # inserted spaces
        ("こ・ろ・す", "こ・ろ・す"),  # inserted symbols
        ("こ\u200bろ\u200dす", "こ\u200bろ\u200dす"),  # zero-width characters stay inside the evidence
        ("こ\u202eろす", "こ\u202eろす"),  # bidi override
    ],
)
def test_it_finds_japanese_variants_and_points_at_the_original_characters(make_lexicon, text, matched):
    lexicon = make_lexicon("ja", [{"term": "ころす", "match": "substring"}])
    assert found(text, lexicon) == [("t1", matched)]


def test_it_finds_full_width_ascii(make_lexicon):
    lexicon = make_lexicon("en", [{"term": "kill you", "match": "exact"}])
    assert found("ＫＩＬＬ　ＹＯＵ", lexicon) == [("t1", "ＫＩＬＬ\u3000ＹＯＵ")]


@pytest.mark.parametrize(
    ("term", "text", "matched"),
    [
        ("付属", "大学附属病院", "附属"),  # 異体字
        ("打ち合わせ", "明日の打合せ", "打合せ"),  # okurigana
        ("行う", "式を行なう", "行なう"),
        ("殺してやる", "ころしてやるからな", "ころしてやる"),  # kana for kanji, conjugation
        ("凄い", "すげーーー", "すげーーー"),  # elongation
    ],
)
def test_it_matches_normalized_terms_through_sudachi_forms(make_lexicon, term, text, matched):
    lexicon = make_lexicon("ja", [{"term": term, "match": "normalized"}])
    assert found(text, lexicon) == [("t1", matched)]


def test_it_matches_exact_japanese_terms_on_token_boundaries_only(make_lexicon):
    lexicon = make_lexicon("ja", [{"term": "しね", "match": "exact"}, {"term": "シャブ", "match": "exact"}])
    assert found("しね", lexicon) == [("t1", "しね")]
    assert found("しねえよ", lexicon) == []  # "won't do it", not "die"
    assert found("シャブを打った", lexicon) == [("t2", "シャブ")]
    assert found("しゃぶしゃぶを食べた", lexicon) == []  # the dish


def test_it_keeps_substring_terms_off_sudachi_forms(make_lexicon):
    # 死ね as a normalized term would also match plain 死ぬ ("to die"); as a substring it does not.
    lexicon = make_lexicon("ja", [{"term": "死ね", "match": "substring"}])
    assert found("死 ね！", lexicon) == [("t1", "死 ね")]
    assert found("人はいつか死ぬ", lexicon) == []


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("I'll k1ll you", "k1ll you"),
        ("KILL YOU", "KILL YOU"),
        ("kiiiilll youuu", "kiiiilll youuu"),
        ("k i l l you", "k i l l you"),
        ("k.i.l.l you", "k.i.l.l you"),
        ("k-i-l-l you!", "k-i-l-l you"),
        ("ki*ll you", "ki*ll you"),
    ],
)
def test_it_undoes_english_obfuscation_for_normalized_terms(make_lexicon, text, matched):
    lexicon = make_lexicon("en", [{"term": "kill you", "match": "normalized"}])
    assert found(text, lexicon) == [("t1", matched)]


def test_it_matches_english_words_whole_unless_told_substring(make_lexicon):
    lexicon = make_lexicon(
        "en",
        [
            {"term": "heroin", "match": "normalized"},
            {"term": "meth", "match": "exact"},
            {"term": "fuck", "match": "substring"},
        ],
    )
    assert found("the heroine spoke of her method", lexicon) == []
    assert found("heroin and meth.", lexicon) == [("t1", "heroin"), ("t2", "meth")]
    assert found("Motherfucker!", lexicon) == [("t3", "fuck")]
    assert found("skill you", make_lexicon("en", [{"term": "kill you", "match": "normalized"}])) == []


def test_it_reports_each_hit_with_its_term_area_and_severity(shipped_lexicons):
    [hit] = screen_text("待て、ぶっ殺すぞ", shipped_lexicons.for_language("ja"))[:1]
    assert (hit.term_id, hit.policy_area, hit.severity, hit.match, hit.start, hit.end) == (
        "ja_vio_bukkorosu",
        "violence",
        Severity.HIGH,
        MatchMode.NORMALIZED,
        3,
        7,
    )


def test_it_finds_nothing_in_clean_text_or_with_an_empty_lexicon(shipped_lexicons):
    assert screen_text("星の海へ、出発だ。", shipped_lexicons.for_language("ja")) == []
    assert screen_text("To the sea of stars.", shipped_lexicons.for_language("en")) == []
    assert screen_text("kill you", shipped_lexicons.for_language("fr")) == []


def test_it_screens_metadata_text(shipped_lexicons):
    synopsis = "元刑事の男は覚せい剤の売人を追う。「ぶっ殺す」と脅された彼は…"
    assert found(synopsis, shipped_lexicons.for_language("ja")) == [
        ("ja_drug_kakuseizai", "覚せい剤"),
        ("ja_drug_bainin", "売人"),
        ("ja_vio_bukkorosu", "ぶっ殺す"),
    ]
    hits = screen_metadata(
        {
            "title": "Ｃｏｃａｉｎｅ Ｃｏａｓｔ",
            "synopsis": "A quiet town.",
            "tags": ["drama", "h3roin", "sea"],
        },
        shipped_lexicons.for_language("en"),
    )
    assert [(h.field, h.index, h.hit.term_id, h.hit.matched_text) for h in hits] == [
        ("title", None, "en_drug_cocaine", "Ｃｏｃａｉｎｅ"),
        ("tags", 1, "en_drug_heroin", "h3roin"),
    ]


def test_it_gives_cue_hits_the_cue_time_range(shipped_lexicons):
    srt = (
        "1\n00:00:01,000 --> 00:00:02,500\n星の海へ、出発だ。\n\n"
        "2\n00:12:03,250 --> 00:12:05,000\nてめえ、\nぶっ殺すぞ！\n\n"
        "3\n01:40:00,000 --> 01:40:02,000\nもう死にたい…\n"
    )
    track = parse_subtitle_bytes(srt.encode())
    hits = screen_cues(track.cues, shipped_lexicons.for_language("ja"))
    assert [(h.cue_index, h.start_ms, h.end_ms, h.hit.term_id, h.hit.matched_text) for h in hits] == [
        (1, 723250, 725000, "ja_vio_bukkorosu", "ぶっ殺す"),
        (1, 723250, 725000, "ja_vio_korosu_zo", "殺すぞ"),
        (2, 6000000, 6002000, "ja_sh_shinitai", "死にたい"),
    ]
    cue = track.cues[1]
    assert cue.text[hits[0].hit.start : hits[0].hit.end] == "ぶっ殺す"


def test_it_screens_ruby_readings_and_points_at_their_base(shipped_lexicons):
    # The base text is harmless; the reading carries the insult (a trick REFERENCE §4 warns about).
    vtt = "WEBVTT\n\n00:05.000 --> 00:07.000\nあいつは<ruby>天才<rt>きちがい</rt></ruby>だ\n"
    track = parse_subtitle_bytes(vtt.encode())
    [hit] = screen_cues(track.cues, shipped_lexicons.for_language("ja"))
    assert (hit.start_ms, hit.end_ms, hit.reading, hit.hit.term_id, hit.hit.matched_text) == (
        5000,
        7000,
        "きちがい",
        "ja_hate_kichigai",
        "きちがい",
    )
    assert track.cues[0].text[hit.hit.start : hit.hit.end] == "天才"


def test_it_builds_the_automaton_once_per_lexicon_version(make_lexicon):
    first = make_lexicon("en", [{"term": "kill you", "match": "normalized"}])
    again = make_lexicon("en", [{"term": "kill you", "match": "normalized"}])
    other = make_lexicon("en", [{"term": "kill you", "match": "exact"}])
    assert first is not again and first.version == again.version
    assert compiled(first) is compiled(again)
    assert compiled(other) is not compiled(first)


def test_it_maps_every_hit_back_to_its_original_text_on_random_input(shipped_lexicons):
    alphabet = list("ころすしねコロスｺﾛｽﾞﾟ死殺ぶっ覚せい剤大麻ちくしょーkillyou1!@$*.- \n㈱①ＡＢｋｉｌｌßİ")
    alphabet += ["\u200b", "\u202e", "\u3099", "\u309b", "\ufe0f", "\U0001f600"]
    rng = random.Random(7)
    hits = 0
    for _ in range(1500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        for language in ("ja", "en"):
            for hit in screen_text(text, shipped_lexicons.for_language(language)):
                assert 0 <= hit.start < hit.end <= len(text)
                assert text[hit.start : hit.end] == hit.matched_text
                hits += 1
    assert hits > 10
