"""``shinsa backup FOLDER``: the database (online) and the media root, into a new folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from shinsa.commands import ShinsaCommand
from shinsa.jobs.backup import BackupError, make_backup


class Command(ShinsaCommand):
    help = (
        "Back up the database and the stored media into a new folder.\n\n"
        "SQLite: the online backup API (a consistent copy while Shinsa runs). PostgreSQL: pg_dump, "
        "custom format. Media: media.tar (--no-media leaves it out). See docs/operations.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", help="a folder to create (it must not exist)")
        parser.add_argument("--no-media", action="store_true", help="the database only")

    def handle(self, *args: Any, folder: str, no_media: bool, **options: Any) -> None:
        try:
            summary = make_backup(Path(folder), media=not no_media)
        except (BackupError, OSError) as error:
            raise CommandError(_("backup failed: %(reason)s") % {"reason": error}) from None
        self.stdout.write(
            _("Backed up the %(vendor)s database (%(tables)d tables with data) to %(folder)s: %(files)s")
            % {
                "vendor": summary.vendor,
                "tables": summary.tables_with_rows,
                "folder": summary.folder,
                "files": ", ".join(summary.files),
            }
        )
