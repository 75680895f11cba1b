"""Every catalogue in the project: Japanese complete, and the committed .mo compiled from its .po."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "shinsa"
CATALOGUES = sorted(PACKAGE.glob("**/locale/*/LC_MESSAGES/django.po"))
JAPANESE = [path for path in CATALOGUES if path.parts[-3] == "ja"]

pytestmark = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs GNU gettext's msgfmt")


def _name(path: Path) -> str:
    return f"{path.relative_to(PACKAGE).parents[3].as_posix()}:{path.parts[-3]}"


def test_it_finds_every_app_catalogue():
    assert {"accounts:ja", "audit:ja", "catalog:ja", "ratings:ja", "quality:ja", ".:ja", ".:en"} <= {
        _name(path) for path in CATALOGUES
    }


@pytest.mark.parametrize("catalogue", JAPANESE, ids=_name)
def test_it_translates_every_message_into_japanese(catalogue):
    done = subprocess.run(
        ["msgfmt", "--statistics", "--check", "-o", "/dev/null", str(catalogue)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "untranslated" not in done.stderr and "fuzzy" not in done.stderr, done.stderr


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=_name)
def test_it_ships_the_mo_compiled_from_the_po(catalogue, tmp_path):
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(fresh), str(catalogue)], check=True)
    assert fresh.read_bytes() == catalogue.with_suffix(".mo").read_bytes(), "run compilemessages"
