"""``shinsa oncall rotations``: who is on call now in each rotation and the escalation chain.
``shinsa oncall escalate``: one round of what the worker's housekeeping does (escalate unacknowledged
pages, check the paging conditions)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from shinsa.accounts.models import User
from shinsa.commands import ShinsaCommand
from shinsa.oncall.actions import do_escalate_pages, escalation_chain
from shinsa.oncall.conditions import check_conditions
from shinsa.oncall.models import Rotation


class Command(ShinsaCommand):
    help = "On-call: list rotations and who is on call, or run one escalation round."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("rotations", help="rotations, who is on call now, and the escalation chain")
        sub.add_parser("escalate", help="escalate overdue pages and check the paging conditions once")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        now = timezone.now()
        if action == "escalate":
            escalated = do_escalate_pages(actor="cli", now=now)
            raised = check_conditions(now=now)
            self.stdout.write(
                _("%(escalated)s pages escalated, %(raised)s conditions paged or repeated.")
                % {"escalated": len(escalated), "raised": raised}
            )
            return
        names = {u.pk: u.username for u in User.objects.all()}
        for rotation in Rotation.objects.filter(active=True):
            chain = [names.get(pk, str(pk)) for pk in escalation_chain(rotation, now)]
            self.stdout.write(f"{rotation.slug}\t{rotation.pattern}\t{rotation.zone}\t{' → '.join(chain)}")
