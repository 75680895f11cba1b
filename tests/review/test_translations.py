"""The review app's Japanese catalogue is complete and compiled, and its errors speak Japanese."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import translation

import shinsa.review
from shinsa.review.actions import do_upsert_item
from shinsa.review.errors import ReviewError

LOCALE = Path(shinsa.review.__file__).parent / "locale" / "ja" / "LC_MESSAGES"
needs_msgfmt = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs GNU gettext's msgfmt")


@needs_msgfmt
def test_it_translates_every_message_into_japanese():
    done = subprocess.run(
        ["msgfmt", "--statistics", "--check", "-o", "/dev/null", str(LOCALE / "django.po")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "untranslated" not in done.stderr and "fuzzy" not in done.stderr, done.stderr


@needs_msgfmt
def test_it_ships_the_compiled_catalogue_up_to_date(tmp_path):
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(fresh), str(LOCALE / "django.po")], check=True)
    assert fresh.read_bytes() == (LOCALE / "django.mo").read_bytes()


def test_it_refuses_in_japanese(team, version):
    with translation.override("ja"), pytest.raises(ReviewError) as refused:
        do_upsert_item(actor="system", title_version=version, policy_area="gossip")
    assert refused.value.messages == ("不明なポリシー領域「gossip」です。",)
