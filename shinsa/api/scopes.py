"""Per-token scopes (pure): what a token may be used for, on top of its owner's permissions.

A token never grants more than its owner's roles; a scope only narrows it. Reads (GET) need ``read``;
writes need the scope of the permission the operation checks. A browser session has every scope.
"""

from __future__ import annotations

from enum import StrEnum

from shinsa.accounts.roles import Perm


class Scope(StrEnum):
    READ = "read"  # every GET the owner's roles allow
    REVIEW = "review"  # claim, decide, confirm, escalate, appeal; ratings work
    INGEST = "ingest"  # manifests
    ADMIN = "admin"  # queues, policies, users, webhooks


ALL_SCOPES = frozenset(Scope)

WRITE_SCOPE: dict[Perm, Scope] = {
    Perm.VIEW_CATALOG: Scope.READ,
    Perm.VIEW_INSIGHTS: Scope.READ,
    Perm.VIEW_AUDIT_LOG: Scope.READ,
    Perm.USE_API: Scope.READ,
    Perm.REVIEW_ITEMS: Scope.REVIEW,
    Perm.CONFIRM_HIGH_IMPACT: Scope.REVIEW,
    Perm.HANDLE_ESCALATIONS: Scope.REVIEW,
    Perm.AUDIT_DECISIONS: Scope.REVIEW,
    Perm.RUN_CALIBRATION: Scope.REVIEW,
    Perm.INGEST_MANIFESTS: Scope.INGEST,
    Perm.EDIT_POLICIES: Scope.ADMIN,
    Perm.MANAGE_QUEUES: Scope.ADMIN,
    Perm.MANAGE_USERS: Scope.ADMIN,
    Perm.MANAGE_WEBHOOKS: Scope.ADMIN,
    Perm.TAKE_PAGES: Scope.REVIEW,
    Perm.HANDLE_LEGAL: Scope.REVIEW,
    Perm.MANAGE_ONCALL: Scope.ADMIN,
    Perm.MANAGE_BANKS: Scope.ADMIN,
    Perm.MANAGE_DATASETS: Scope.ADMIN,
}


def needed_scope(perm: Perm, method: str) -> Scope:
    """The scope a call needs: ``read`` for safe methods, else the one the permission belongs to."""
    if method.upper() in ("GET", "HEAD", "OPTIONS"):
        return Scope.READ
    return WRITE_SCOPE[perm]


def parse_scopes(values: list[str] | tuple[str, ...]) -> tuple[frozenset[Scope], list[str]]:
    """Scopes from user input, and the names that are not scopes."""
    names = {value.strip().lower() for value in values if value.strip()}
    known = {value for value in names if value in ALL_SCOPES}
    return frozenset(Scope(value) for value in known), sorted(names - known)
