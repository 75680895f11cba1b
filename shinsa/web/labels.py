"""Translated names shown in the console: roles and severities."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shinsa.accounts.models import ROLE_CHOICES
from shinsa.accounts.roles import Role
from shinsa.policy.schemas import Severity


def role_labels(roles: frozenset[Role]) -> list[str]:
    """The translated labels of ``roles`` (the accounts app's own), in the order roles are declared."""
    labels = dict(ROLE_CHOICES)
    return [str(labels[role.value]) for role in Role if role in roles]


SEVERITY_LABELS: dict[str, Promise] = {
    Severity.CRITICAL.value: _("critical"),
    Severity.HIGH.value: _("high"),
    Severity.MEDIUM.value: _("medium"),
    Severity.LOW.value: _("low"),
}
