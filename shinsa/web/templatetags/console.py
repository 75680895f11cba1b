"""Template filters for the console's layout: what the signed-in person may see, and who they are."""

from __future__ import annotations

from django import template
from django.utils.functional import Promise

from shinsa.accounts.roles import Perm
from shinsa.web.labels import role_labels

register = template.Library()


@register.filter
def can(user: object, perm: str) -> bool:
    """``{% if user|can:"view_catalog" %}`` — False for anonymous visitors and unknown names alike."""
    if not getattr(user, "is_authenticated", False) or perm not in Perm:
        return False
    return user.has_shinsa_perm(Perm(perm))  # type: ignore[attr-defined]


@register.filter
def roles(user: object) -> list[Promise]:
    if not getattr(user, "is_authenticated", False):
        return []
    return role_labels(user.role_set())  # type: ignore[attr-defined]
