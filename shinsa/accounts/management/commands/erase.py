"""``shinsa erase``: erase a person's personal data on request, or every account past its retention."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from shinsa.accounts import actions
from shinsa.accounts.errors import AccountError
from shinsa.accounts.management.commands.user import _user, cli_actor
from shinsa.audit.models import AuditEvent
from shinsa.commands import ShinsaCommand


class Command(ShinsaCommand):
    help = (
        "Erase a person's personal data (on request, or after the retention period).\n\n"
        "  shinsa erase user USERNAME --reason REF   anonymise the account as erased-<id>\n"
        "  shinsa erase expired [--dry-run]          erase deactivated accounts past "
        "SHINSA_RETAIN_INACTIVE_USER_DAYS\n\n"
        "Audit events are never changed, so `shinsa audit verify` still passes. See docs/operations.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="{user,expired}")
        one = subcommands.add_parser("user", help="erase one account's personal data")
        one.add_argument("username")
        one.add_argument("--reason", required=True, help="the erasure request's reference (audited)")
        one.add_argument("--json", dest="as_json", action="store_true", help="print one JSON object")
        expired = subcommands.add_parser("expired", help="erase accounts past the retention period")
        expired.add_argument("--dry-run", action="store_true", help="list them, change nothing")
        expired.add_argument("--json", dest="as_json", action="store_true", help="print one JSON object")

    def handle(self, *args: Any, subcommand: str, as_json: bool, **options: Any) -> None:
        try:
            if subcommand == "user":
                self._one(options["username"], options["reason"], as_json)
            else:
                self._expired(options["dry_run"], as_json)
        except AccountError as error:
            raise CommandError(" ".join(error.messages)) from None

    def _one(self, username: str, reason: str, as_json: bool) -> None:
        user = _user(username)
        counts = actions.do_erase_user(actor=cli_actor(), user=user, reason=reason)
        labelled = AuditEvent.objects.filter(actor_id=user.pk).exclude(verb="account.erased").count()
        if as_json:
            self.stdout.write(
                json.dumps({"erased": user.username, "removed": counts, "audit_events": labelled})
            )
            return
        self.stdout.write(
            _("Erased %(old)s: the account is now %(new)s.") % {"old": username, "new": user.username}
        )
        self.stdout.write(", ".join(f"{kind} {count}" for kind, count in counts.items()))
        self.stdout.write(
            ngettext(
                "%(count)d audit event names this account; it is unchanged and the chain verifies.",
                "%(count)d audit events name this account; they are unchanged and the chain verifies.",
                labelled,
            )
            % {"count": labelled}
        )

    def _expired(self, dry_run: bool, as_json: bool) -> None:
        due = actions.accounts_past_retention()
        if dry_run:
            ids = [user.pk for user in due]
        else:
            ids = actions.do_erase_expired_accounts(actor=cli_actor())
        if as_json:
            payload = {
                "retention_days": settings.RETAIN_INACTIVE_USER_DAYS,
                "dry_run": dry_run,
                "accounts": ids,
            }
            self.stdout.write(json.dumps(payload))
            return
        template = (
            ngettext(
                "%(count)d account is past retention.", "%(count)d accounts are past retention.", len(ids)
            )
            if dry_run
            else ngettext(
                "Erased %(count)d account past retention.",
                "Erased %(count)d accounts past retention.",
                len(ids),
            )
        )
        self.stdout.write(template % {"count": len(ids)})
