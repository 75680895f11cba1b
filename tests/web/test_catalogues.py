"""The project-level Japanese catalogue is complete, and the committed .mo is compiled from its .po."""

from __future__ import annotations

import gettext
import json
import re
from pathlib import Path

import pytest

import shinsa

LOCALE = Path(shinsa.__file__).parent / "locale"
_ENTRY = re.compile(
    r'^(?P<flags>#,.*\n)?(?:msgctxt "(?P<ctx>.*)"\n)?msgid (?P<id>(?:".*"\n)+)'
    r'(?:msgid_plural (?:".*"\n)+)?(?P<str>(?:msgstr(?:\[\d\])? (?:".*"\n)+)+)',
    re.M,
)


def _text(quoted: str) -> str:
    # PO strings use C escapes, which JSON reads the same way for those gettext writes.
    return "".join(json.loads(line) for line in quoted.strip().splitlines())


def _entries(po: Path) -> dict[str, list[str]]:
    entries = {}
    for match in _ENTRY.finditer(po.read_text(encoding="utf-8")):
        msgid = _text(match["id"])
        if not msgid:
            continue  # the header
        assert "fuzzy" not in (match["flags"] or ""), f"fuzzy entry: {msgid!r}"
        key = f"{match['ctx']}\x04{msgid}" if match["ctx"] is not None else msgid
        entries[key] = [_text(s) for s in re.findall(r"msgstr(?:\[\d\])? ((?:\".*\"\n)+)", match["str"])]
    return entries


def test_it_translates_every_message_into_japanese():
    entries = _entries(LOCALE / "ja" / "LC_MESSAGES" / "django.po")
    assert len(entries) > 100
    untranslated = [msgid for msgid, texts in entries.items() if not all(texts)]
    assert untranslated == []


@pytest.mark.parametrize("language", ["ja", "en"])
def test_it_ships_the_mo_compiled_from_the_po(language):
    folder = LOCALE / language / "LC_MESSAGES"
    entries = _entries(folder / "django.po")
    with (folder / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)._catalog  # type: ignore[attr-defined]
    for msgid, texts in entries.items():
        if not any(texts):
            continue  # untranslated (English): gettext falls back to the msgid
        found = compiled.get(msgid, compiled.get((msgid, 0)))
        assert found == texts[0], f"{msgid!r}: run compilemessages"
    translated = sum(1 for texts in entries.values() if any(texts))
    assert len({k if isinstance(k, str) else k[0] for k in compiled if k != ""}) == translated
