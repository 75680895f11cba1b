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
    if user_can(user, Perm.EDIT_POLICIES) and user_can(user, Perm.HANDLE_ESCALATIONS):
        return TIER_POLICY_LEGAL
    if user_can(user, Perm.HANDLE_ESCALATIONS):
        return TIER_SENIOR
    return TIER_SPECIALIST
