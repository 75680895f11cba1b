"""`shinsa ingest` as a real process: summary on success, one line per problem and no traceback on failure."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from shinsa.catalog.models import Title
from tests.catalog.manifests import EXAMPLES, csv_text

SHINSA = Path(sys.executable).with_name("shinsa")


def database_url() -> str:
    """The URL of the database this test runs against, so the child process uses the same one."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or 5432
    return f"postgres://{settings['USER']}@{host}:{port}/{settings['NAME']}"


def run_ingest(media_root: Path, *args: str, language: str = "en") -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "SHINSA_MEDIA_ROOT": str(media_root),
        "SHINSA_LANG": language,
    }
    return subprocess.run(
        [str(SHINSA), "ingest", *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


BAD_ROWS = [
    {"id": "ok-1", "kind": "film", "original_title": "Fine", "original_language": "en"},
    {"id": "bad 2", "kind": "movie", "original_title": "Evil\u202etxt", "original_language": "en"},
    {"id": "ok-3", "kind": "film", "original_title": "Fine", "original_language": "xx", "year": "soon"},
]


def test_it_ingests_a_good_file_and_prints_the_counts(transactional_db, media_root):
    result = run_ingest(media_root, str(EXAMPLES / "manifest.xlsx"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "titles: 5 created, 0 updated, 0 unchanged"
    assert Title.objects.count() == 5
    again = run_ingest(media_root, str(EXAMPLES / "manifest.json"))
    assert again.stdout.splitlines()[0] == "titles: 0 created, 0 updated, 5 unchanged"


def test_it_prints_one_line_per_problem_and_no_traceback(transactional_db, media_root, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(csv_text(BAD_ROWS))
    result = run_ingest(media_root, str(path))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert result.stderr.splitlines() == [
        "bad.csv: row 3, field id: must be 1 to 64 letters, digits or . _ : - (no spaces)",
        "bad.csv: row 3, field kind: must be one of: film, series, season, episode",
        "bad.csv: row 3, field original_title: contains an invisible or direction-changing character"
        " (U+202E at position 5)",
        'bad.csv: row 4, field original_language: "xx" is not a language code'
        " (use a primary language such as ja or en)",
        "bad.csv: row 4, field year: must be a whole number",
        "5 problems in bad.csv: nothing was stored",
    ]
    assert Title.objects.count() == 0


def test_it_speaks_japanese_when_asked(transactional_db, media_root, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(csv_text(BAD_ROWS))
    result = run_ingest(media_root, str(path), language="ja")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert (
        lines[0] == "bad.csv: 3 行目、項目 id: 英数字と . _ : - の1〜64文字でなければなりません（空白不可）"
    )
    assert lines[-1] == "bad.csv に 5 件の問題: 何も保存していません"


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("huge.csv", b"a" * (10 * 1024 * 1024 + 10), "the file is larger than the limit of 10 MB"),
        ("image.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01", "the file holds binary data, not text"),
        ("deep.json", b"[" * 50_000 + b"]" * 50_000, "the JSON is nested deeper than 16 levels"),
        ("book.xlsx", b"not a zip", "the file is not an Excel .xlsx workbook"),
    ],
)
def test_it_refuses_hostile_files_with_one_clear_line(
    transactional_db, media_root, tmp_path, name, content, expected
):
    path = tmp_path / name
    path.write_bytes(content)
    result = run_ingest(media_root, str(path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    first, last = result.stderr.splitlines()
    assert first.startswith(f"{name}: {expected}")
    assert last == f"1 problem in {name}: nothing was stored"


def test_it_raises_command_errors_to_callers_in_process(db, media_root, tmp_path, cast):
    path = tmp_path / "bad.csv"
    path.write_text(csv_text(BAD_ROWS))
    with pytest.raises(CommandError, match="5 problems"):
        call_command("ingest", str(path))
    with pytest.raises(CommandError, match="may not ingest"):
        call_command("ingest", str(EXAMPLES / "manifest.json"), "--actor", "rin")
    call_command("ingest", str(EXAMPLES / "manifest.json"), "--actor", "mei", "--dry-run")
    assert Title.objects.count() == 0
