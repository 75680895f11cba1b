"""Which sections the home page shows for a set of permissions (pure: no Django import).

A section appears when the person holds the permission for the work it summarises, so a combined
role (or an admin, who holds every permission) sees the union, in the order a working day reads.
"""

from __future__ import annotations

from enum import StrEnum

from shinsa.accounts.roles import Perm


class Section(StrEnum):
    MY_QUEUE = "my_queue"
    ESCALATIONS = "escalations"
    AUDITS = "audits"
    CALIBRATION = "calibration"
    POLICIES = "policies"
    OPERATIONS = "operations"
    AUDIT_LOG = "audit_log"
    ADMINISTRATION = "administration"


SECTION_PERMISSION: dict[Section, Perm] = {
    Section.MY_QUEUE: Perm.REVIEW_ITEMS,
    Section.ESCALATIONS: Perm.HANDLE_ESCALATIONS,
    Section.AUDITS: Perm.AUDIT_DECISIONS,
    Section.CALIBRATION: Perm.RUN_CALIBRATION,
    Section.POLICIES: Perm.EDIT_POLICIES,
    Section.OPERATIONS: Perm.MANAGE_QUEUES,
    Section.AUDIT_LOG: Perm.VIEW_AUDIT_LOG,
    Section.ADMINISTRATION: Perm.MANAGE_USERS,
}


def sections_for(perms: frozenset[Perm]) -> list[Section]:
    """The home page sections for someone holding ``perms``, in display order."""
    return [section for section in Section if SECTION_PERMISSION[section] in perms]
