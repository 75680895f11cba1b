"""``shinsa backup`` / ``shinsa restore``: the database and the stored media, as one folder.

A backup folder holds ``database.sqlite3`` (SQLite's online backup API: a consistent copy taken
while the application keeps running) or ``database.pgdump`` (``pg_dump`` custom format), and
``media.tar`` (the content-addressed media root), with ``backup.json`` naming the database vendor,
the time, the audit chain's head and each file's SHA-256.

Restoring refuses a database that already holds data unless forced; on PostgreSQL it runs
``pg_restore --clean --if-exists --single-transaction``, so a failed restore changes nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = "shinsa-backup/1"
# Tables `migrate` fills by itself: rows there do not make a database "non-empty".
SCHEMA_TABLES = frozenset({"django_migrations", "django_content_type", "auth_permission", "sqlite_sequence"})


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message is one line for the user."""


@dataclass(frozen=True)
class Summary:
    folder: Path
    vendor: str
    files: dict[str, str]
    tables_with_rows: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _pg_env() -> dict[str, str]:
    db = connection.settings_dict
    env = dict(os.environ)
    env.update(
        PGHOST=str(db.get("HOST") or "127.0.0.1"),
        PGPORT=str(db.get("PORT") or 5432),
        PGUSER=str(db.get("USER") or "postgres"),
        PGDATABASE=str(db["NAME"]),
    )
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])  # read by libpq; never on a command line
    return env


def _run(command: list[str]) -> None:
    tool = shutil.which(command[0])
    if tool is None:
        raise BackupError(_("%(tool)s is not installed (PostgreSQL client tools)") % {"tool": command[0]})
    done = subprocess.run([tool, *command[1:]], env=_pg_env(), capture_output=True, text=True)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["failed"])[-1]
        raise BackupError(f"{command[0]}: {last}")


def tables_with_rows() -> list[str]:
    """Shinsa's tables that hold at least one row (those `migrate` fills itself do not count)."""
    found = []
    with connection.cursor() as cursor:
        for name in connection.introspection.table_names(cursor):
            if name in SCHEMA_TABLES:
                continue
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(name)} LIMIT 1")  # noqa: S608
            if cursor.fetchone():
                found.append(name)
    return sorted(found)


def _audit_head() -> str | None:
    from shinsa.audit.models import AuditSeal

    head = AuditSeal.objects.order_by("-position").values_list("position", "hash").first()
    return f"{head[0]}:{head[1]}" if head else None


def make_backup(folder: Path, *, media: bool = True) -> Summary:
    """Write a backup into ``folder`` (created; it must not exist yet)."""
    if folder.exists():
        raise BackupError(_("%(folder)s already exists; give a new folder") % {"folder": folder})
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(_("backups of %(vendor)s databases are not supported") % {"vendor": vendor})
    working = Path(tempfile.mkdtemp(prefix=".shinsa-backup-", dir=folder.parent))
    try:
        head = _audit_head()
        if vendor == "sqlite":
            connection.ensure_connection()
            target = sqlite3.connect(working / "database.sqlite3")
            try:
                connection.connection.backup(target)  # consistent, while writers carry on
            finally:
                target.close()
        else:
            _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(working / "database.pgdump")])
        if media:
            root = Path(settings.MEDIA_ROOT)
            with tarfile.open(working / "media.tar", "w") as archive:
                if root.exists():
                    archive.add(root, arcname="media", filter=_skip_incoming)
        files = {p.name: _sha256(p) for p in sorted(working.iterdir())}
        (working / "backup.json").write_text(
            json.dumps(
                {
                    "format": FORMAT,
                    "vendor": vendor,
                    "created_at": timezone.now().isoformat(),
                    "audit_head": head,
                    "files": files,
                },
                indent=2,
            )
        )
        working.rename(folder)  # the folder appears complete or not at all
    except BaseException:
        shutil.rmtree(working, ignore_errors=True)
        raise
    return Summary(folder, vendor, files, len(tables_with_rows()))


def _skip_incoming(member: tarfile.TarInfo) -> tarfile.TarInfo | None:
    return None if member.name.startswith("media/incoming") else member


def read_backup(folder: Path) -> dict[str, Any]:
    try:
        meta = json.loads((folder / "backup.json").read_text())
    except (OSError, ValueError):
        raise BackupError(
            _("%(folder)s is not a Shinsa backup (no readable backup.json)") % {"folder": folder}
        ) from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise BackupError(_("%(folder)s: unknown backup format") % {"folder": folder})
    for name, digest in meta.get("files", {}).items():
        path = folder / name
        if not path.is_file() or _sha256(path) != digest:
            raise BackupError(
                _("%(folder)s: %(file)s is missing or damaged (SHA-256 differs)")
                % {"folder": folder, "file": name}
            )
    return meta


def restore_backup(folder: Path, *, force: bool = False, media: bool = True) -> Summary:
    """Restore ``folder`` into the configured database (and media root)."""
    meta = read_backup(folder)
    vendor = connection.vendor
    if meta["vendor"] != vendor:
        raise BackupError(
            _("the backup is of a %(theirs)s database; the configured one is %(ours)s")
            % {"theirs": meta["vendor"], "ours": vendor}
        )
    occupied = tables_with_rows()
    if occupied and not force:
        raise BackupError(
            _(
                "the database already holds data (%(count)d tables, e.g. %(table)s); "
                "restore into an empty database, or add --force to replace it"
            )
            % {"count": len(occupied), "table": occupied[0]}
        )
    if vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(folder / "database.sqlite3")
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        connection.close()
    else:
        connection.close()
        _run(
            [
                "pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                "--exit-on-error", "--dbname", str(connection.settings_dict["NAME"]),
                str(folder / "database.pgdump"),
            ]
        )  # fmt: skip
    if media and (folder / "media.tar").exists():
        root = Path(settings.MEDIA_ROOT)
        root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(folder / "media.tar") as archive:
            for member in archive.getmembers():
                if not member.name.startswith("media/") or not (member.isfile() or member.isdir()):
                    continue
                member.name = member.name.removeprefix("media/")
                if member.name:
                    archive.extract(member, root, filter="data")
    return Summary(folder, vendor, meta["files"], len(tables_with_rows()))
