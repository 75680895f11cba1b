from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.db import DatabaseError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from shinsa.accounts.models import User
from shinsa.accounts.roles import Perm
from shinsa.catalog.ingest import ingest_manifest_file, summary_lines
from shinsa.catalog.manifest import ManifestErrors
from shinsa.catalog.messages import describe
from shinsa.commands import ShinsaCommand
from shinsa.lib.printable import printable


class Command(ShinsaCommand):
    help = (
        "Ingest a manifest (.json, .csv or .xlsx) of titles and assets into the catalog.\n\n"
        "All or nothing: a file with any bad row stores nothing and lists every problem, one per line. "
        "Running the same file again changes nothing. See docs/manifests.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the manifest; paths in it are relative to its folder")
        parser.add_argument("--dry-run", action="store_true", help="check and count, store nothing")
        parser.add_argument("--actor", metavar="USERNAME", help="who the audit trail names (default: system)")

    def handle(self, *args: Any, file: str, dry_run: bool, actor: str | None, **options: Any) -> None:
        who = _actor(actor) if actor else "system"
        path = Path(file)
        shown = printable(path.name)
        try:
            summary = ingest_manifest_file(actor=who, path=path, dry_run=dry_run)
        except ManifestErrors as problems:
            for error in problems.errors:
                self.stderr.write(f"{shown}: {describe(error)}")
            count = len(problems.errors)
            raise CommandError(
                ngettext(
                    "%(count)d problem in %(file)s: nothing was stored",
                    "%(count)d problems in %(file)s: nothing was stored",
                    count,
                )
                % {"count": count, "file": shown}
            ) from None
        except (OSError, DatabaseError) as error:
            raise CommandError(
                _("could not ingest %(file)s: %(reason)s") % {"file": shown, "reason": error}
            ) from None
        for line in summary_lines(summary):
            self.stdout.write(line)
        sys.stdout.flush()


def _actor(username: str) -> User:
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(_("no active user named %(username)s") % {"username": username})
    if not user.has_shinsa_perm(Perm.INGEST_MANIFESTS):
        raise CommandError(_("%(username)s may not ingest manifests") % {"username": username})
    return user
