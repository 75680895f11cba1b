"""``shinsa restore FOLDER [--force]``: put a backup back into the configured database and media root."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from shinsa.commands import ShinsaCommand
from shinsa.jobs.backup import BackupError, restore_backup


class Command(ShinsaCommand):
    help = (
        "Restore a backup made by `shinsa backup` into the configured database and media root.\n\n"
        "Refuses a database that already holds data unless --force. Run `shinsa audit verify` "
        "afterwards. See docs/operations.md."
    )
    requires_system_checks: list[str] = []  # the database may be empty (not even migrated)
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", help="a folder written by shinsa backup")
        parser.add_argument("--force", action="store_true", help="replace a database that holds data")
        parser.add_argument("--no-media", action="store_true", help="the database only")

    def handle(self, *args: Any, folder: str, force: bool, no_media: bool, **options: Any) -> None:
        try:
            summary = restore_backup(Path(folder), force=force, media=not no_media)
        except (BackupError, OSError) as error:
            raise CommandError(_("restore failed: %(reason)s") % {"reason": error}) from None
        self.stdout.write(
            _("Restored %(folder)s into the %(vendor)s database (%(tables)d tables with data).")
            % {"folder": summary.folder, "vendor": summary.vendor, "tables": summary.tables_with_rows}
        )
