"""Template filters for the console's layout: what the signed-in person may see, and who they are."""

from __future__ import annotations

from django import template

from shinsa.accounts.access import user_can
from shinsa.accounts.roles import Perm
from shinsa.catalog.models import AssetKind, TitleKind
from shinsa.lib.clock import clock
from shinsa.web.labels import SEVERITY_LABELS, role_labels

register = template.Library()


@register.filter
def can(user: object, perm: str) -> bool:
    """``{% if user|can:"view_catalog" %}`` — False for anonymous visitors and unknown names alike."""
    return perm in Perm and user_can(user, Perm(perm))


@register.filter
def roles(user: object) -> list[str]:
    if not getattr(user, "is_authenticated", False):
        return []
    return role_labels(user.role_set())  # type: ignore[attr-defined]


@register.filter
def title_kind(value: str) -> str:
    """The translated name of a title kind ("episode" -> 「エピソード」), or the raw value if unknown."""
    return str(dict(TitleKind.choices).get(value, value))


@register.filter
def asset_kind(value: str) -> str:
    return str(dict(AssetKind.choices).get(value, value))


@register.filter
def severity(value: str) -> str:
    return str(SEVERITY_LABELS.get(value, value))


@register.filter(name="clock")
def clock_filter(ms: int | None) -> str:
    """Milliseconds as ``HH:MM:SS.mmm`` (the player's clock)."""
    return clock(ms)


@register.filter
def capped(value: int) -> str:
    """A count that stopped at the cap (``shinsa.review.counting``): "10,000+" rather than a false total."""
    from shinsa.review.counting import count_label

    return count_label(value)
