from __future__ import annotations

import unicodedata
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.utils.translation import gettext as _

from shinsa.accounts.second_factor import current_code
from shinsa.commands import ShinsaCommand
from shinsa.demo.history import DAYS
from shinsa.demo.loading import DemoLoad, DemoManifestRejected, load_demo
from shinsa.demo.people import DEMO_PASSWORD, ROLE_LABELS
from shinsa.demo.serve import DemoServerFailed, serve_demo

DEMO_SOURCE_FOLDER = "demo-source"


def display_width(text: str) -> int:
    """Columns a terminal gives ``text``: wide (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in {"W", "F"} else 1 for ch in text)


class Command(ShinsaCommand):
    help = (
        "Load the bilingual demo data and serve the console with a worker (--no-serve: load only).\n"
        "People, generated media and the catalog ingest; running it again changes nothing."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="Load the demo data, then exit.")
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on (default: 127.0.0.1).")
        parser.add_argument("--port", type=int, default=8000, help="Port to listen on (default: 8000).")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Start from an empty database (SQLite: a new file; PostgreSQL: every table emptied).",
        )

    def handle(self, *, no_serve: bool, host: str, port: int, reset: bool, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                _("The demo has published passwords, so it does not run with SHINSA_DEBUG=false.")
            )
        if not 0 < port < 65536:
            raise CommandError(_("--port must be between 1 and 65535."))
        if reset:
            self._reset_database()
        call_command("migrate", interactive=False, verbosity=0)
        loaded = self._load()
        call_command("collectstatic", interactive=False, verbosity=0)
        self._report_load(loaded)
        if no_serve:
            self._screen_now()
            return
        try:
            code = serve_demo(host=host, port=port, var_dir=settings.VAR_DIR, on_ready=self._report_ready)
        except DemoServerFailed as error:
            raise CommandError(_("The demo stopped: %(reason)s.") % {"reason": error}) from None
        self.stdout.write(_("Demo stopped."))
        if code:
            raise CommandError(_("The demo stopped with an error."), returncode=code)

    def _load(self) -> DemoLoad:
        try:
            return load_demo(source_dir=settings.VAR_DIR / DEMO_SOURCE_FOLDER)
        except DemoManifestRejected as error:
            raise CommandError(
                _("The catalog refused the demo manifest: %(problems)s") % {"problems": error}
            ) from None

    def _screen_now(self) -> None:
        """Without a worker, run the screening the ingest queued here (the demo's clips are short)."""
        from shinsa.screening.demo import screen_queued

        done, hits = screen_queued()
        if done:
            self.stdout.write(
                _("Screening: %(runs)s runs done, %(hits)s hits.") % {"runs": done, "hits": hits}
            )

    def _reset_database(self) -> None:
        if connection.vendor == "sqlite":
            name = str(settings.DATABASES["default"]["NAME"])
            connections.close_all()
            for suffix in ("", "-wal", "-shm"):
                Path(name + suffix).unlink(missing_ok=True)
        else:
            call_command("flush", interactive=False, verbosity=0)

    def _report_load(self, loaded: DemoLoad) -> None:
        titles = loaded.ingest.get("titles", {})
        people_created = sum(account.created for account in loaded.accounts)
        self.stdout.write(
            _(
                "Demo data loaded into %(vendor)s: titles %(created)s created, %(updated)s updated, "
                "%(unchanged)s unchanged; %(people)s people (%(new_people)s new)."
            )
            % {
                "vendor": connection.vendor,
                "created": titles.get("created", 0),
                "updated": titles.get("updated", 0),
                "unchanged": titles.get("unchanged", 0),
                "people": len(loaded.accounts),
                "new_people": people_created,
            }
        )
        self.stdout.write(_("Demo media and manifest: %(path)s") % {"path": loaded.source.manifest_path})
        if loaded.history.created:
            self.stdout.write(
                _(
                    "History: %(reports)s reports, %(decisions)s decisions and %(appeals)s appeals over "
                    "%(days)s days; %(anomalies)s anomalies found, %(escalated)s pages escalated."
                )
                % {
                    "reports": loaded.history.reports,
                    "decisions": loaded.history.decisions,
                    "appeals": loaded.history.appeals,
                    "days": DAYS,
                    "anomalies": loaded.oncall.anomalies,
                    "escalated": loaded.oncall.escalated,
                }
            )
        self._write_logins(loaded)

    def _write_logins(self, loaded: DemoLoad) -> None:
        self.stdout.write(_("Demo logins (password for all: %(password)s):") % {"password": DEMO_PASSWORD})
        rows = [(_("user"), _("role"), "役割", _("name"))]
        for account in loaded.accounts:
            person = account.person
            romanised = f"{person.first_name} {person.last_name}"
            name = (
                person.display_name
                if person.display_name == romanised
                else f"{person.display_name} ({romanised})"
            )
            rows.append((person.username, *ROLE_LABELS[person.role], name))
        widths = [max(display_width(row[column]) for row in rows) for column in range(3)]
        for row in rows:
            cells = [
                cell + " " * (width - display_width(cell)) for cell, width in zip(row, widths, strict=False)
            ]
            self.stdout.write("  " + "  ".join([*cells, row[3]]))
        keyed = [account for account in loaded.accounts if account.totp_secret]
        if keyed:
            self.stdout.write(
                _("Two-step sign-in keys (add one to an authenticator app; the code now is shown):")
            )
            for account in keyed:
                code = current_code(account.totp_secret)
                self.stdout.write(f"  {account.person.username}  {account.totp_secret}  ({code})")

    def _report_ready(self, url: str, pids: dict[str, int]) -> None:
        self.stdout.write(
            _("Shinsa demo running at %(url)s (web pid %(web)s, worker pid %(worker)s). Ctrl-C stops it.")
            % {"url": url, "web": pids["web"], "worker": pids["worker"]}
        )
        self.stdout.flush()
