from __future__ import annotations

import json
import os
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.db import DatabaseError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from shinsa.audit.app_role import AppRoleError, grant_app_role
from shinsa.audit.chain import Anchor, BreakKind, parse_anchor
from shinsa.audit.sealing import chain_head, seal_pending
from shinsa.audit.verification import Verification, verify_chain
from shinsa.commands import ShinsaCommand


def _break_reason(kind: BreakKind) -> str:
    return {
        BreakKind.EVENT_MODIFIED: _("the event or its seal was changed after sealing"),
        BreakKind.EVENT_DELETED: _("the sealed event was deleted"),
        BreakKind.SEAL_MISSING: _("the seal at this position is missing"),
        BreakKind.SEAL_REORDERED: _("the seals were reordered"),
        BreakKind.PREV_MISMATCH: _("the seal does not link to the one before it"),
    }[kind]


class Command(ShinsaCommand):
    help = "Audit trail: seal new events into the hash chain, verify it, print or check an anchor."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="{seal,verify,anchor,grant-app-role}"
        )
        actions.add_parser("seal", help="Seal every committed, unsealed event now; prints how many.")
        verify = actions.add_parser(
            "verify", help="Check the whole chain; exit 1 on the first broken link or a late seal."
        )
        verify.add_argument("--json", action="store_true", help="Print the result as JSON.")
        verify.add_argument(
            "--anchor", metavar="POSITION:HASH", help="Also check that the chain still holds this anchor."
        )
        actions.add_parser("anchor", help="Print the chain head as POSITION:HASH, to store outside Shinsa.")
        grant = actions.add_parser(
            "grant-app-role",
            help="PostgreSQL: set up the app's role (no UPDATE/DELETE on audit rows). Run as the owner.",
        )
        grant.add_argument("role", help="The role the app's DATABASE_URL connects as.")
        grant.add_argument(
            "--password-env",
            metavar="VAR",
            help="Make it a LOGIN role with the password in environment variable VAR (else NOLOGIN).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        handler = {
            "seal": self._seal,
            "verify": self._verify,
            "anchor": self._anchor,
            "grant-app-role": self._grant,
        }[options["action"]]
        handler(options)

    def _seal(self, options: dict[str, Any]) -> None:
        sealed = seal_pending(full=True, wait=True)
        self.stdout.write(
            ngettext("Sealed %(count)d audit event.", "Sealed %(count)d audit events.", sealed)
            % {"count": sealed}
        )

    def _anchor(self, options: dict[str, Any]) -> None:
        head = chain_head()
        if head is None:
            raise CommandError(_("The audit chain is empty: nothing to anchor yet."))
        self.stdout.write(str(Anchor(position=head.position, hash=head.hash)))

    def _verify(self, options: dict[str, Any]) -> None:
        anchor = None
        if options["anchor"]:
            try:
                anchor = parse_anchor(options["anchor"])
            except ValueError:
                raise CommandError(
                    _("Bad anchor %(anchor)r: expected POSITION:HASH as printed by `shinsa audit anchor`.")
                    % {"anchor": options["anchor"]}
                ) from None
        result = verify_chain(anchor=anchor)
        if options["json"]:
            self.stdout.write(json.dumps(_as_json(result), indent=2))
            if not result.intact:
                raise CommandError(_("The audit chain failed verification."), returncode=1)
            return
        problems = _problem_lines(result)
        if problems:
            raise CommandError("\n".join(problems), returncode=1)
        count, head = result.walk.checked, result.walk.head.position if result.walk.head else 0
        self.stdout.write(
            ngettext(
                "Audit chain intact: %(count)d event sealed, head at position %(head)d.",
                "Audit chain intact: %(count)d events sealed, head at position %(head)d.",
                count,
            )
            % {"count": count, "head": head}
        )
        if result.unsealed.waiting:
            self.stdout.write(
                ngettext(
                    "%(count)d recent event is waiting to be sealed.",
                    "%(count)d recent events are waiting to be sealed.",
                    result.unsealed.waiting,
                )
                % {"count": result.unsealed.waiting}
            )
        if result.anchor is not None:
            self.stdout.write(_("Anchor %(anchor)s holds.") % {"anchor": result.anchor.anchor})

    def _grant(self, options: dict[str, Any]) -> None:
        password = None
        if options["password_env"]:
            password = os.environ.get(options["password_env"])
            if not password:
                raise CommandError(
                    _("Environment variable %(var)s is not set or empty.") % {"var": options["password_env"]}
                )
        try:
            audit_tables = grant_app_role(role=options["role"], password=password)
        except AppRoleError as error:
            raise CommandError(str(error)) from None
        except DatabaseError as error:
            raise CommandError(_("PostgreSQL refused: %(error)s") % {"error": str(error).strip()}) from None
        self.stdout.write(
            _("Role %(role)s may read and write the app's tables, and only read and insert into %(tables)s.")
            % {"role": options["role"], "tables": ", ".join(audit_tables)}
        )


def _problem_lines(result: Verification) -> list[str]:
    lines = []
    broken = result.first_break
    if broken is not None:
        lines.append(
            _("Audit chain broken at position %(position)d (event %(event)s): %(reason)s.")
            % {
                "position": broken.position,
                "event": broken.event_id if broken.event_id is not None else "?",
                "reason": _break_reason(broken.kind),
            }
        )
    unsealed = result.unsealed
    if unsealed.count:
        lines.append(
            ngettext(
                "%(count)d audit event unsealed for more than %(grace)d seconds (oldest: event %(event)d).",
                "%(count)d audit events unsealed for more than %(grace)d seconds (oldest: event %(event)d).",
                unsealed.count,
            )
            % {"count": unsealed.count, "grace": unsealed.grace_seconds, "event": unsealed.oldest_event_id}
        )
    if result.anchor is not None and not result.anchor.holds:
        if result.anchor.found_hash is None:
            lines.append(
                _("Anchor %(position)d is gone: the chain ends before it, so its tail was removed.")
                % {"position": result.anchor.anchor.position}
            )
        else:
            lines.append(
                _("Anchor %(position)d does not match: the chain was rewritten up to that position.")
                % {"position": result.anchor.anchor.position}
            )
    return lines


def _as_json(result: Verification) -> dict[str, Any]:
    broken = result.first_break
    head = result.walk.head
    unsealed = result.unsealed
    anchor = result.anchor
    return {
        "intact": result.intact,
        "checked": result.walk.checked,
        "seals": result.total_seals,
        "head": {"position": head.position, "hash": head.hash} if head else None,
        "first_break": (
            {"position": broken.position, "event_id": broken.event_id, "kind": str(broken.kind)}
            if broken
            else None
        ),
        "unsealed": {
            "count": unsealed.count,
            "waiting": unsealed.waiting,
            "grace_seconds": unsealed.grace_seconds,
            "oldest_event_id": unsealed.oldest_event_id,
            "oldest_occurred_at": unsealed.oldest_occurred_at.isoformat()
            if unsealed.oldest_occurred_at
            else None,
        },
        "anchor": (
            {"anchor": str(anchor.anchor), "holds": anchor.holds, "found_hash": anchor.found_hash}
            if anchor
            else None
        ),
    }
