"""``shinsa banks``: list, create, import, export and confirm hash banks."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.db import DatabaseError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from shinsa.accounts.models import User
from shinsa.accounts.roles import Perm
from shinsa.banks import actions
from shinsa.banks.actions import BankError
from shinsa.banks.index.csvfile import MAX_BYTES, BankCsvError, read_bank_csv
from shinsa.banks.index.matcher import BankKind
from shinsa.banks.messages import describe_csv_problem
from shinsa.banks.models import Bank, BankEntry
from shinsa.banks.queries import banks_with_counts
from shinsa.commands import ShinsaCommand
from shinsa.lib.printable import printable


class Command(ShinsaCommand):
    help = (
        "Hash banks: list them, create one, import or export its entries as CSV, confirm pending entries.\n\n"
        "`shinsa banks list [--json]`; `shinsa banks create NAME --kind pdq|video|md5 --policy-area AREA "
        "--severity low|medium|high|critical [--threshold 31] [--negative] [--illegal] [--action enqueue|"
        "quarantine] [--source TEXT] --actor USERNAME`; `shinsa banks import BANK FILE.csv --actor USERNAME` "
        "(all rows or none; imported entries are always pending until a second person confirms them); "
        "`shinsa banks export BANK --out FILE.csv [--actor USERNAME]`; `shinsa banks confirm BANK --actor "
        "USERNAME (--all | ENTRY_ID ...)` (never the entries the actor added). See docs/banks.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True)
        listing = verbs.add_parser("list", help="the banks with their entry counts")
        listing.add_argument("--json", action="store_true", help="print one JSON object")
        create = verbs.add_parser("create", help="create an empty bank")
        create.add_argument("name")
        create.add_argument("--kind", required=True, choices=[kind.value for kind in BankKind])
        create.add_argument("--policy-area", required=True)
        create.add_argument("--severity", required=True, choices=Bank.Severity.values)
        create.add_argument(
            "--threshold", type=int, default=31, help="PDQ distance at or under which hashes match"
        )
        create.add_argument("--negative", action="store_true", help="known-benign: suppresses matches")
        create.add_argument("--illegal", action="store_true", help="illegal content: matches quarantine")
        create.add_argument("--action", choices=Bank.Action.values, default=Bank.Action.ENQUEUE)
        create.add_argument("--source", default="")
        create.add_argument("--actor", required=True, metavar="USERNAME")
        imports = verbs.add_parser("import", help="add the entries of a CSV file, pending confirmation")
        imports.add_argument("bank")
        imports.add_argument("file")
        imports.add_argument("--actor", required=True, metavar="USERNAME", help="who adds the entries")
        export = verbs.add_parser("export", help="write the bank's live entries as CSV")
        export.add_argument("bank")
        export.add_argument("--out", required=True, type=Path)
        export.add_argument("--actor", metavar="USERNAME", help="who the audit trail names (default: system)")
        confirm = verbs.add_parser("confirm", help="confirm pending entries added by someone else")
        confirm.add_argument("bank")
        confirm.add_argument("entries", nargs="*", type=int, metavar="ENTRY_ID")
        confirm.add_argument("--all", action="store_true", help="every pending entry the actor did not add")
        confirm.add_argument("--actor", required=True, metavar="USERNAME")

    def handle(self, *args: Any, verb: str, **options: Any) -> None:
        try:
            getattr(self, f"_{verb}")(**options)
        except BankError as error:
            raise CommandError(str(error)) from None
        except DatabaseError as error:
            raise CommandError(_("the database is not ready: %(reason)s") % {"reason": error}) from None
        sys.stdout.flush()

    def _list(self, json: bool = False, **options: Any) -> None:  # noqa: A002 - the flag's name
        banks = list(banks_with_counts())
        if json:
            self.stdout.write(_json({"banks": [_bank_json(bank) for bank in banks]}))
            return
        for bank in banks:
            state = _("enabled") if bank.enabled else _("disabled")
            self.stdout.write(
                f"{bank.name}  {bank.kind}  {bank.policy_area}  {bank.severity}  {bank.action}  "
                f"{bank.active_count}/{bank.pending_count}  {state}"
            )
        self.stdout.write(ngettext("%(count)d bank", "%(count)d banks", len(banks)) % {"count": len(banks)})

    def _create(self, name: str, actor: str, policy_area: str, **options: Any) -> None:
        bank = actions.do_create_bank(
            actor=_actor(actor),
            name=name,
            kind=options["kind"],
            policy_area=policy_area,
            severity=options["severity"],
            threshold=options["threshold"],
            negative=options["negative"],
            illegal=options["illegal"],
            action=options["action"],
            source=options["source"],
        )
        self.stdout.write(_("bank %(name)s created (id %(id)d)") % {"name": bank.name, "id": bank.pk})

    def _import(self, bank: str, file: str, actor: str, **options: Any) -> None:
        person = _actor(actor)
        target = _bank(bank)
        shown = printable(Path(file).name)
        try:
            path = Path(file)
            if path.stat().st_size > MAX_BYTES:
                raise CommandError(_("%(file)s: the file is larger than 64 MB") % {"file": shown})
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("%(file)s: cannot read the file (%(reason)s)") % {"file": shown, "reason": error.strerror}
            ) from None
        try:
            rows = read_bank_csv(data, BankKind(target.kind))
        except BankCsvError as error:
            for problem in error.problems:
                self.stderr.write(f"{shown}: {describe_csv_problem(problem)}")
            raise CommandError(_("%(file)s: nothing was imported") % {"file": shown}) from None
        summary = actions.do_import_bank_entries(
            actor=person, bank=target, rows=rows, file_name=Path(file).name
        )
        self.stdout.write(
            ngettext(
                "%(added)d entry added to %(bank)s, pending confirmation; %(skipped)d already in the bank",
                "%(added)d entries added to %(bank)s, pending confirmation; %(skipped)d already in the bank",
                summary["added"],
            )
            % {"added": summary["added"], "bank": target.name, "skipped": summary["already_in_bank"]}
        )

    def _export(self, bank: str, out: Path, actor: str | None, **options: Any) -> None:
        target = _bank(bank)
        who = _actor(actor) if actor else "system"
        text = actions.do_export_bank(actor=who, bank=target)
        try:
            out.write_text(text, encoding="utf-8", newline="")
        except OSError as error:
            raise CommandError(
                _("%(file)s: cannot write the file (%(reason)s)")
                % {"file": printable(out), "reason": error.strerror}
            ) from None
        rows = text.count("\n") - 1
        self.stdout.write(
            _("%(count)d entries written to %(file)s") % {"count": rows, "file": printable(out)}
        )

    def _confirm(self, bank: str, entries: list[int], actor: str, all: bool, **options: Any) -> None:  # noqa: A002
        person = _actor(actor)
        target = _bank(bank)
        if not entries and not all:
            raise CommandError(_("name the entries to confirm, or pass --all"))
        pending = target.entries.filter(status=BankEntry.Status.PENDING).order_by("id")
        chosen = list(pending.exclude(added_by=person) if all else pending.filter(pk__in=entries))
        if not all and len(chosen) != len(set(entries)):
            missing = sorted(set(entries) - {entry.pk for entry in chosen})
            raise CommandError(_("not pending in %(bank)s: %(ids)s") % {"bank": target.name, "ids": missing})
        for entry in chosen:
            actions.do_confirm_bank_entry(actor=person, entry=entry)
        confirmed = ngettext("%(count)d entry confirmed", "%(count)d entries confirmed", len(chosen))
        self.stdout.write(confirmed % {"count": len(chosen)})


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _bank_json(bank: Any) -> dict[str, Any]:
    return {
        "id": bank.pk,
        "name": bank.name,
        "kind": bank.kind,
        "policy_area": bank.policy_area,
        "severity": bank.severity,
        "source": bank.source,
        "threshold": bank.threshold,
        "video_min_percent": bank.video_min_percent,
        "enabled": bank.enabled,
        "negative": bank.negative,
        "illegal": bank.illegal,
        "action": bank.action,
        "active": bank.active_count,
        "pending": bank.pending_count,
    }


def _bank(name: str) -> Bank:
    bank = Bank.objects.filter(name=name).first()
    if bank is None and name.isdigit():
        bank = Bank.objects.filter(pk=int(name)).first()
    if bank is None:
        raise CommandError(_("no bank named %(name)s") % {"name": printable(name)})
    return bank


def _actor(username: str) -> User:
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(_("no active user named %(username)s") % {"username": printable(username)})
    if not user.has_shinsa_perm(Perm.MANAGE_BANKS):
        raise CommandError(_("%(username)s may not manage hash banks") % {"username": username})
    return user
