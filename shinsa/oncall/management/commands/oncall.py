"""``shinsa oncall``: rotations and who is on call, create a rotation, add an override, swap two shifts,
or run one escalation round (what the worker's housekeeping does)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from shinsa.accounts.models import User
from shinsa.commands import ShinsaCommand
from shinsa.oncall.actions import (
    do_add_override,
    do_create_rotation,
    do_escalate_pages,
    do_swap_shifts,
    escalation_chain,
)
from shinsa.oncall.conditions import check_conditions
from shinsa.oncall.errors import OncallError
from shinsa.oncall.models import Rotation
from shinsa.oncall.schedule import ZONES, Pattern

BAD_INPUT = 2


def _user(name: str) -> User:
    user = User.objects.filter(username=name).first()
    if user is None:
        raise CommandError(_("No account is called “%(name)s”.") % {"name": name}, returncode=BAD_INPUT)
    return user


def _rotation(slug: str) -> Rotation:
    rotation = Rotation.objects.filter(slug=slug).first()
    if rotation is None:
        raise CommandError(_("No rotation is called “%(slug)s”.") % {"slug": slug}, returncode=BAD_INPUT)
    return rotation


def _moment(text: str, option: str) -> datetime.datetime:
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(
            _("%(option)s must be an ISO 8601 time such as 2026-11-28T09:00+09:00.") % {"option": option},
            returncode=BAD_INPUT,
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


class Command(ShinsaCommand):
    help = "On-call: list rotations, create one, add an override, swap shifts, or run one escalation round."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("rotations", help="rotations, who is on call now, and the escalation chain")
        sub.add_parser("escalate", help="escalate overdue pages and check the paging conditions once")
        create = sub.add_parser("create", help="create a rotation")
        create.add_argument("slug")
        create.add_argument("--name-en", required=True)
        create.add_argument("--name-ja", required=True)
        create.add_argument("--pattern", choices=[p.value for p in Pattern], required=True)
        create.add_argument("--zone", choices=ZONES, required=True)
        create.add_argument("--first-day", required=True, help="ISO date of the first shift")
        create.add_argument("--handoff-hour", type=int, required=True)
        create.add_argument("--escalate-after", type=int, default=15, help="minutes (default 15)")
        create.add_argument("--member", action="append", required=True, help="username, in order; repeat")
        override = sub.add_parser("override", help="someone covers a span of a rotation")
        override.add_argument("slug")
        override.add_argument("username")
        override.add_argument("--from", dest="starts", required=True, help="ISO 8601 time (UTC if no offset)")
        override.add_argument("--to", dest="ends", required=True)
        override.add_argument("--reason", required=True)
        swap = sub.add_parser("swap", help="the people of two shifts (by number) trade them")
        swap.add_argument("slug")
        swap.add_argument("first", type=int)
        swap.add_argument("second", type=int)
        swap.add_argument("--reason", required=True)

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            getattr(self, f"_{action}")(**options)
        except OncallError as error:
            raise CommandError(" ".join(error.messages), returncode=BAD_INPUT) from None

    def _rotations(self, **options: Any) -> None:
        now = timezone.now()
        names = {u.pk: u.username for u in User.objects.all()}
        for rotation in Rotation.objects.filter(active=True):
            chain = [names.get(pk, str(pk)) for pk in escalation_chain(rotation, now)]
            self.stdout.write(f"{rotation.slug}\t{rotation.pattern}\t{rotation.zone}\t{' → '.join(chain)}")

    def _escalate(self, **options: Any) -> None:
        now = timezone.now()
        escalated = do_escalate_pages(actor="cli", now=now)
        raised = check_conditions(now=now)
        self.stdout.write(
            _("%(escalated)s pages escalated, %(raised)s conditions paged or repeated.")
            % {"escalated": len(escalated), "raised": raised}
        )

    def _create(self, **options: Any) -> None:
        try:
            first_day = datetime.date.fromisoformat(options["first_day"])
        except ValueError:
            raise CommandError(_("--first-day must be an ISO 8601 date."), returncode=BAD_INPUT) from None
        rotation = do_create_rotation(
            actor="cli",
            slug=options["slug"],
            name_en=options["name_en"],
            name_ja=options["name_ja"],
            pattern=options["pattern"],
            zone=options["zone"],
            first_day=first_day,
            handoff_hour=options["handoff_hour"],
            escalate_after_minutes=options["escalate_after"],
            members=[_user(name) for name in options["member"]],
        )
        self.stdout.write(_("Rotation %(slug)s created.") % {"slug": rotation.slug})

    def _override(self, **options: Any) -> None:
        do_add_override(
            actor="cli",
            rotation=_rotation(options["slug"]),
            user=_user(options["username"]),
            starts_at=_moment(options["starts"], "--from"),
            ends_at=_moment(options["ends"], "--to"),
            reason=options["reason"],
        )
        self.stdout.write(_("Override added."))

    def _swap(self, **options: Any) -> None:
        do_swap_shifts(
            actor="cli",
            rotation=_rotation(options["slug"]),
            first_index=options["first"],
            second_index=options["second"],
            reason=options["reason"],
        )
        self.stdout.write(_("Shifts swapped."))
