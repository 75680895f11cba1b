"""Hostile files through every command that parses a file: one clear line, and nothing stored changes.

Each case runs the real command (``call_command``, as ``shinsa <command>`` does) over a real file.
A refusal must be a ``CommandError`` whose message is one non-empty line (never another exception,
which the CLI would print as a traceback), and every table's rows must be identical before and after.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.catalog.manifests import film, metadata, write_json
from tests.hostile import files as hostile
from tests.hostile.tables import changed_tables, dump_tables

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

# Odd inputs that are legitimate and must be ACCEPTED (with the reason), not refused.
ACCEPTED = {
    # `shinsa screen` sniffs the content, not the name: a subtitle named .png is screened as subtitles.
    ("screen", "subtitle-named-png"): "content sniffed as subtitles",
    ("screen", "png-named-srt"): "content sniffed as an image",
    # Bytes that are not UTF-8 are decoded with the detected legacy encoding (cp1252 here).
    ("screen", "invalid-utf8"): "legacy encoding detected",
    ("subtitles", "invalid-utf8"): "legacy encoding detected",
    # A 1 MB line is within the 20 MB subtitle limit: read and screened, not refused.
    ("screen", "huge-line-1mb"): "within the size limit",
    ("subtitles", "huge-line-1mb"): "within the size limit",
    # Excel's "Unicode text" CSV is UTF-16 with a BOM: manifests accept it (docs/manifests.md).
    ("ingest", "utf16.csv"): "UTF-16 with a BOM is a supported manifest encoding",
}

COMMANDS = [
    ("hash", hostile.MEDIA_CASES, []),
    ("screen", hostile.MEDIA_CASES + hostile.SUBTITLE_CASES, []),
    ("subtitles", hostile.SUBTITLE_CASES, ["--json"]),
    ("ingest", hostile.MANIFEST_CASES, []),
    ("agreement", hostile.AGREEMENT_CASES, ["--metric", "percent"]),
    ("rate", hostile.RATE_CASES, []),
]
PARAMS = [
    pytest.param(command, name, suffix, builder, extra, id=f"{command}:{name}")
    for command, cases, extra in COMMANDS
    for name, suffix, builder in cases
]


@pytest.fixture(scope="session")
def hostile_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("hostile")


@pytest.fixture
def stored(cast, delivery):
    """A catalog and people that bad input must leave exactly as they are."""
    manifest = write_json(
        delivery, [film("kept-1", versions=[{"label": "main", "assets": [metadata(title="Kept")]}])]
    )
    call_command("ingest", str(manifest), stdout=io.StringIO())
    return dump_tables()


def _file(hostile_dir: Path, name: str, suffix: str, builder) -> Path:
    path = hostile_dir / f"{name.rsplit('.', 1)[0]}{suffix}"
    if not path.exists():
        path.write_bytes(builder(hostile_dir))
    return path


@pytest.mark.parametrize(("command", "name", "suffix", "builder", "extra"), PARAMS)
def test_hostile_file_gets_one_clear_line_and_changes_nothing(
    stored, hostile_dir, command, name, suffix, builder, extra
):
    path = _file(hostile_dir, name, suffix, builder)
    out, err = io.StringIO(), io.StringIO()
    if (command, name) in ACCEPTED:
        call_command(command, str(path), *extra, stdout=out, stderr=err)
        assert out.getvalue().strip()
        if command != "ingest":
            assert changed_tables(stored, dump_tables()) == []
        return
    with pytest.raises(CommandError) as refused:
        call_command(command, str(path), *extra, stdout=out, stderr=err)
    message = str(refused.value)
    assert message.strip() and "\n" not in message.strip(), message
    assert "Traceback" not in message and "Error:" not in message.split(":", 1)[0]
    if command == "ingest":
        assert "nothing was stored" in message
        problems = err.getvalue().strip().splitlines()
        assert problems and all(line.startswith(path.name) for line in problems)
    assert changed_tables(stored, dump_tables()) == []


@pytest.mark.parametrize(("name", "suffix", "builder"), hostile.SUBTITLE_ODD_BUT_VALID)
def test_bidi_zero_width_and_utf16_subtitles_read_with_their_text(hostile_dir, name, suffix, builder):
    path = _file(hostile_dir, name, suffix, builder)
    out = io.StringIO()
    call_command("subtitles", str(path), "--json", stdout=out)
    cue = json.loads(out.getvalue())["cues"][0]
    assert cue["start_ms"] == 1000 and cue["end_ms"] == 2000
    if "bidi" in name:
        assert hostile.BIDI in cue["text"] and hostile.ZERO_WIDTH in cue["text"]
    else:
        assert cue["text"] == "Hello there"


@pytest.mark.parametrize(
    "hidden",
    ["co\u200bcaine", "co\u00adcaine", "\u202ecocaine", "ｃｏｃａｉｎｅ"],
    ids=["zwsp", "shy", "rlo", "fullwidth"],
)
def test_zero_width_bidi_and_width_tricks_do_not_hide_a_term_from_screening(tmp_path, hidden):
    path = tmp_path / "evasion.srt"
    path.write_bytes(hostile.srt(f"some {hidden} here"))
    out = io.StringIO()
    call_command("screen", str(path), "--json", stdout=out)
    hits = json.loads(out.getvalue())["hits"]
    assert [hit["detail"]["term_id"] for hit in hits] == ["en_drug_cocaine"]
