"""The common cleaning step and its map back to the original characters."""

from __future__ import annotations

import pytest

from shinsa.screening.text.mapped import MappedText, clean


def spans(view: MappedText) -> list[tuple[int, int]]:
    return list(zip(view.starts, view.ends, strict=True))


def test_it_composes_half_width_kana_and_maps_each_result_to_both_original_characters():
    view = clean("ｶﾞｷﾞ")
    assert view.text == "ガギ"
    assert spans(view) == [(0, 2), (2, 4)]


def test_it_widens_nothing_and_narrows_full_width_ascii_and_folds_case():
    view = clean("ＡＢＣ１２３ Kill")
    assert view.text == "abc123 kill"
    assert spans(view)[:3] == [(0, 1), (1, 2), (2, 3)]


def test_it_expands_compatibility_characters_onto_their_original_span():
    view = clean("㈱㌔")
    assert view.text == "(株)キロ"
    assert spans(view) == [(0, 1)] * 3 + [(1, 2)] * 2


@pytest.mark.parametrize(
    "invisible",
    [
        "\u200b",
        "\u200c",
        "\u200d",
        "\u2060",
        "\ufeff",
        "\u00ad",
        "\u200e",
        "\u200f",
        "\u202e",
        "\u2066",
        "\ufe0f",
    ],
)
def test_it_drops_zero_width_and_bidi_characters_keeping_the_map(invisible):
    view = clean(f"死{invisible}ね")
    assert view.text == "死ね"
    assert spans(view) == [(0, 1), (2, 3)]


def test_it_makes_every_run_of_white_space_one_space():
    view = clean("kill \t\n\u3000 you")
    assert view.text == "kill you"
    assert view.original_span(0, 8) == (0, 12)
    assert spans(view)[4] == (4, 9)


def test_it_leaves_plain_ascii_on_the_fast_path_with_an_identity_map():
    view = clean("Plain text.")
    assert (view.text, spans(view)) == ("plain text.", [(i, i + 1) for i in range(11)])
