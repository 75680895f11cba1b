"""The ratings app's Japanese catalogue: complete, and the committed .mo compiled from the .po."""

from __future__ import annotations

import gettext
from pathlib import Path

from tests.web.test_catalogues import _entries

FOLDER = Path(__file__).resolve().parents[2] / "shinsa" / "ratings" / "locale" / "ja" / "LC_MESSAGES"


def test_it_translates_every_ratings_message_into_japanese():
    entries = _entries(FOLDER / "django.po")
    assert len(entries) > 150
    assert [msgid for msgid, texts in entries.items() if not all(texts)] == []


def test_it_ships_the_mo_compiled_from_the_po():
    with (FOLDER / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)._catalog  # type: ignore[attr-defined]
    for msgid, texts in _entries(FOLDER / "django.po").items():
        assert compiled.get(msgid, compiled.get((msgid, 0))) == texts[0], msgid
