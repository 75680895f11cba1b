"""The only writers of API tokens."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from shinsa import audit
from shinsa.accounts.models import User
from shinsa.accounts.roles import Perm
from shinsa.api.models import ApiToken
from shinsa.api.scopes import Scope, parse_scopes
from shinsa.api.tokens import new_token

# Refresh last_used_at at most this often, so busy clients do not turn every read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenError(Exception):
    """A token cannot be created or revoked; the message is one sentence for the user."""


@transaction.atomic
def do_create_api_token(
    *,
    actor: Any,
    user: User,
    name: str,
    expires_at: datetime | None = None,
    scopes: list[str] | tuple[str, ...] = (Scope.READ,),
) -> tuple[ApiToken, str]:
    """Create a token for ``user``; returns it with the plaintext, which is shown once and never stored.
    ``scopes`` (read, review, ingest, admin) narrow what the token may do; reading only by default."""
    name = name.strip()
    granted, unknown = parse_scopes(list(scopes))
    if unknown:
        raise TokenError(
            _("unknown scope %(scope)s (use read, review, ingest or admin)") % {"scope": unknown[0]}
        )
    if not granted:
        raise TokenError(_("a token needs at least one scope"))
    if not name or len(name) > 64:
        raise TokenError(_("a token needs a name of 1 to 64 characters"))
    if not user.is_active or not user.has_shinsa_perm(Perm.USE_API):
        raise TokenError(_("%(username)s may not use the API") % {"username": user.get_username()})
    if ApiToken.objects.filter(user=user, name=name, revoked_at__isnull=True).exists():
        raise TokenError(
            _("%(username)s already has a token named %(name)s") % {"username": user, "name": name}
        )
    fresh = new_token()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=fresh.prefix,
        secret_hash=fresh.secret_hash,
        expires_at=expires_at,
        scopes=sorted(granted),
    )
    audit.record(
        actor=actor,
        verb="api.token.created",
        obj=token,
        after={
            "user": user.pk,
            "name": name,
            "prefix": token.prefix,
            "expires_at": _iso(expires_at),
            "scopes": token.scopes,
        },
    )
    return token, fresh.plaintext


@transaction.atomic
def do_revoke_api_token(*, actor: Any, token: ApiToken) -> ApiToken:
    """Revoke a token; revoking an already revoked token changes nothing."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(
        actor=actor,
        verb="api.token.revoked",
        obj=token,
        after={"user": token.user_id, "prefix": token.prefix},
    )
    return token


def note_token_used(token: ApiToken) -> None:
    """Bookkeeping, not an action by a person: not audited, and written at most once a minute."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
    ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=now)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
