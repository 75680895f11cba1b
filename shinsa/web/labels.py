"""Translated names shown in the console: roles, and the home sections whose work is not built yet."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shinsa.accounts.models import ROLE_CHOICES
from shinsa.accounts.roles import Role
from shinsa.policy.schemas import Severity
from shinsa.web.sections import Section


def role_labels(roles: frozenset[Role]) -> list[str]:
    """The translated labels of ``roles`` (the accounts app's own), in the order roles are declared."""
    labels = dict(ROLE_CHOICES)
    return [str(labels[role.value]) for role in Role if role in roles]


@dataclass(frozen=True)
class PlannedSection:
    """A home section whose work is not built yet: an honest empty state saying what will appear."""

    title: Promise
    empty: Promise
    explanation: Promise


PLANNED_SECTIONS: dict[Section, PlannedSection] = {
    Section.MY_QUEUE: PlannedSection(
        _("My queue"),
        _("No review queues yet."),
        _(
            "Once review queues are set up, this is where you will claim the next item in your queues, "
            "see each item's priority and deadline, and come back to items you have claimed but not yet "
            "decided."
        ),
    ),
    Section.ESCALATIONS: PlannedSection(
        _("Escalations"),
        _("No escalations yet."),
        _(
            "Items that reviewers escalate to you, and high-impact decisions waiting for a second "
            "person's confirmation, will appear here."
        ),
    ),
    Section.AUDITS: PlannedSection(
        _("Audits"),
        _("No audits yet."),
        _("Decisions sampled for quality audit will appear here, with the accuracy of recent audits."),
    ),
    Section.CALIBRATION: PlannedSection(
        _("Calibration"),
        _("No calibration sessions yet."),
        _(
            "Calibration sessions you run, and how well reviewers agreed before and after each, "
            "will appear here."
        ),
    ),
}


SEVERITY_LABELS: dict[str, Promise] = {
    Severity.CRITICAL.value: _("critical"),
    Severity.HIGH.value: _("high"),
    Severity.MEDIUM.value: _("medium"),
    Severity.LOW.value: _("low"),
}
