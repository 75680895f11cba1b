"""English views: case, width, leetspeak, inserted symbols, spaced and repeated letters."""

from __future__ import annotations

import pytest

from shinsa.screening.text.english import english_views


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("K1LL", "kil"),
        ("@ss", "as"),
        ("a$$hole", "ashole"),
        ("sh!t", "shit"),
        ("hi! you!!", "hi! you!!"),  # sentence punctuation is not leetspeak
        ("2024 sold", "2024 sold"),  # digits without letters stay digits
        ("ki*ll", "kil"),
        ("f.u.c.k", "fuck"),
        ("k-i-l-l", "kil"),
        ("k i l l you", "kil you"),
        ("a b", "a b"),  # two single letters are not an obfuscation
        ("kiiiilll", "kil"),
        ("self-harm don't", "self-harm don't"),  # real word joins stay
        ("Ｋｉｌｌ", "kil"),
    ],
)
def test_it_undoes_simple_obfuscations(text, normalized):
    assert english_views(text, normalized=True).normalized.text == normalized


def test_it_maps_the_normalized_view_back_to_the_original():
    text = "I'll k.i.l.l   you"
    view = english_views(text, normalized=True).normalized
    position = view.text.index("kil you")
    start, end = view.original_span(position, position + len("kil you"))
    assert text[start:end] == "k.i.l.l   you"
