"""The quality app's Japanese catalogue is complete and its compiled form matches it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

import shinsa.quality

LOCALE = Path(shinsa.quality.__file__).parent / "locale" / "ja" / "LC_MESSAGES"

pytestmark = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs GNU gettext's msgfmt")


def test_it_translates_every_message_into_japanese():
    done = subprocess.run(
        ["msgfmt", "--statistics", "--check", "-o", "/dev/null", str(LOCALE / "django.po")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "untranslated" not in done.stderr and "fuzzy" not in done.stderr, done.stderr


def test_it_ships_the_compiled_catalogue_up_to_date(tmp_path):
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(fresh), str(LOCALE / "django.po")], check=True)
    assert fresh.read_bytes() == (LOCALE / "django.mo").read_bytes()


def test_every_message_of_the_pure_modules_has_a_japanese_translation():
    from django.utils import translation

    from shinsa.quality.metrics.errors import LINE_PREFIX, MESSAGES
    from shinsa.quality.metrics.kinds import METRIC_NAMES
    from shinsa.quality.ratings_file import FILE_MESSAGES

    messages = [*MESSAGES.values(), *FILE_MESSAGES.values(), *METRIC_NAMES.values(), LINE_PREFIX]
    with translation.override("ja"):
        untranslated = [message for message in messages if translation.gettext(message) == message]
    assert untranslated == []
