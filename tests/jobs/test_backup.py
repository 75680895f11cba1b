"""`shinsa backup` / `shinsa restore`: a round trip into a scratch database gives back every row, the
media and a verifying audit chain; a non-empty database is refused unless --force; a damaged backup
is refused."""

from __future__ import annotations

import io
import json
import os
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from shinsa.audit.sealing import seal_pending
from shinsa.review.actions import do_claim_next_item, do_sync_queues, do_upsert_item
from tests.catalog.manifests import one_file_title, write_json
from tests.hostile import files as hostile
from tests.hostile.tables import dump_tables
from tests.jobs.processes import REPO_ROOT, live_database_url, run_shinsa
from tests.review.conftest import give_skills, make_version

pytestmark = pytest.mark.db_sensitive


@pytest.fixture
def scratch_database(transactional_db, tmp_path):
    """An empty database of our own to restore into: a new SQLite file, or a new PostgreSQL database."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"{connection.settings_dict['NAME']}_restore"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield live_database_url().rsplit("/", 1)[0] + f"/{name}"
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run(url: str, media: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url, "SHINSA_MEDIA_ROOT": str(media), "PYTHONPATH": str(REPO_ROOT)}
    env["SHINSA_LANG"] = "en"
    return run_shinsa(*args, env=env, seconds=300)


def _seed(cast, delivery) -> None:
    (delivery / "poster.png").write_bytes(hostile.small_png())
    manifest = write_json(delivery, [one_file_title("bk-1", "artwork", "poster.png")])
    call_command("ingest", str(manifest), stdout=io.StringIO())
    do_sync_queues(actor="system")
    do_upsert_item(actor="system", title_version=make_version("bk-2"), policy_area="hate")
    do_claim_next_item(actor=give_skills(cast.rin))
    assert seal_pending(full=True) > 0


def test_a_backup_restores_into_an_empty_database_with_every_row_the_media_and_a_verifying_chain(
    cast, media_root, delivery, scratch_database, tmp_path
):
    _seed(cast, delivery)
    folder = tmp_path / "backup-1"
    out = io.StringIO()
    call_command("backup", str(folder), stdout=out)
    assert set(json.loads((folder / "backup.json").read_text())["files"]) == {
        "database.pgdump" if connection.vendor == "postgresql" else "database.sqlite3",
        "media.tar",
    }
    restored_media = tmp_path / "restored-media"

    done = _run(scratch_database, restored_media, "-m", "shinsa.cli", "restore", str(folder))

    assert done.returncode == 0, done.stderr
    dumped = _run(scratch_database, restored_media, "-m", "tests.jobs.dump_tables")
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    expected = {name: [repr(row) for row in rows] for name, rows in dump_tables().items()}
    assert json.loads(dumped.stdout) == expected
    assert sum(len(rows) for rows in expected.values()) > 100
    stored = sorted(p.relative_to(media_root) for p in media_root.rglob("*") if p.is_file())
    assert stored and stored == sorted(
        p.relative_to(restored_media) for p in restored_media.rglob("*") if p.is_file()
    )
    for name in stored:
        assert (restored_media / name).read_bytes() == (media_root / name).read_bytes()
    verified = _run(scratch_database, restored_media, "-m", "shinsa.cli", "audit", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr

    again = _run(scratch_database, restored_media, "-m", "shinsa.cli", "restore", str(folder))
    assert again.returncode == 1
    assert again.stderr.strip().startswith("restore failed: the database already holds data")
    assert len(again.stderr.strip().splitlines()) == 1
    forced = _run(scratch_database, restored_media, "-m", "shinsa.cli", "restore", "--force", str(folder))
    assert forced.returncode == 0, forced.stderr
    assert (
        json.loads(_run(scratch_database, restored_media, "-m", "tests.jobs.dump_tables").stdout) == expected
    )


def test_a_damaged_or_foreign_backup_is_refused_and_changes_nothing(
    cast, media_root, tmp_path, transactional_db
):
    folder = tmp_path / "backup-2"
    call_command("backup", str(folder), "--no-media", stdout=io.StringIO())
    database = next(folder.glob("database.*"))
    data = bytearray(database.read_bytes())
    data[len(data) // 2] ^= 0xFF
    database.write_bytes(bytes(data))
    before = dump_tables()
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", "--force", str(folder), stdout=io.StringIO())
    with pytest.raises(CommandError, match="not a Shinsa backup"):
        call_command("restore", str(tmp_path), stdout=io.StringIO())
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(folder), stdout=io.StringIO())
    assert dump_tables() == before
