"""Who may act on review work: people by permission, trusted server code by name."""

from __future__ import annotations

from django.utils.translation import gettext as _

from shinsa.accounts.access import require_perm, user_can
from shinsa.accounts.models import User
from shinsa.accounts.roles import Perm
from shinsa.review.errors import ReviewError
from shinsa.review.routing import (
    TIER_POLICY_LEGAL,
    TIER_SENIOR,
    TIER_SPECIALIST,
)

Actor = User | str


# --- who may act ---------------------------------------------------------------------------------


def _is_code(actor: Actor) -> bool:
    if isinstance(actor, str):
        if not actor.strip():
            raise ValueError("a string actor must name the code acting, e.g. 'system'")
        return True
    return False


def _require(actor: Actor, perm: Perm) -> None:
    if not _is_code(actor):
        require_perm(actor, perm)


def _person(actor: Actor) -> User:
    if _is_code(actor):
        raise ReviewError(_("Only a signed-in person can do this."))
    assert isinstance(actor, User)
    return actor


def _may_manage_work(actor: Actor) -> None:
    """Reassigning and holding work: ops managers and senior reviewers."""
    if _is_code(actor) or user_can(actor, Perm.MANAGE_QUEUES):
        return
    require_perm(actor, Perm.HANDLE_ESCALATIONS)


def max_escalation_tier(user: User) -> int:
    return escalation_tier_for(
        frozenset(perm for perm in (Perm.EDIT_POLICIES, Perm.HANDLE_ESCALATIONS) if user_can(user, perm))
    )


def escalation_tier_for(perms: frozenset[Perm]) -> int:
    """The highest escalation tier someone holding ``perms`` handles."""
    if Perm.EDIT_POLICIES in perms and Perm.HANDLE_ESCALATIONS in perms:
        return TIER_POLICY_LEGAL
    if Perm.HANDLE_ESCALATIONS in perms:
        return TIER_SENIOR
    return TIER_SPECIALIST
