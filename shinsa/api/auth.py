"""Who is calling: a Bearer API token, or the browser's session (with CSRF on unsafe methods).

Both give back the user only when the user may use the API at all (Perm.USE_API): a valid account
without it gets 403, no credentials (or bad ones) 401. Endpoints then check their own permission.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import AuthenticationError, AuthorizationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from shinsa.accounts.roles import Perm
from shinsa.accounts.second_factor import user_needs_second_factor
from shinsa.api.actions import note_token_used
from shinsa.api.errors import MissingScope
from shinsa.api.models import ApiToken
from shinsa.api.scopes import ALL_SCOPES, needed_scope
from shinsa.api.tokens import secret_matches, split_token


def _api_user(user: Any) -> Any:
    if not user.is_active:
        raise AuthenticationError()
    if not user.has_shinsa_perm(Perm.USE_API):
        raise AuthorizationError()
    return user


class BearerTokenAuth(HttpBearer):
    """``Authorization: Bearer shn_<prefix>_<secret>``. A bad token is refused outright (no fallback)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        parts = split_token(token)
        if parts is None:
            raise AuthenticationError()
        prefix, secret = parts
        stored = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
        if stored is None or not secret_matches(secret, stored.secret_hash) or not stored.is_usable():
            raise AuthenticationError()
        note_token_used(stored)
        request.token_scopes = frozenset(stored.scopes)  # type: ignore[attr-defined]
        return _api_user(stored.user)


class SessionAuth(APIKeyCookie):
    """The signed-in browser session; CSRF is checked for unsafe methods only once a session user exists,
    so an anonymous request is told 401 rather than a CSRF failure."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise HttpError(403, "CSRF check failed")
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if not request.user.is_authenticated:
            return None
        if user_needs_second_factor(request.user) and not request.user.is_verified():
            raise AuthenticationError()  # signed in with a password only: the second factor is missing
        request.token_scopes = ALL_SCOPES  # type: ignore[attr-defined]
        return _api_user(request.user)


def require(request: HttpRequest, perm: Perm) -> Any:
    """The calling user, if they hold ``perm`` and the token has the scope for it; else 403."""
    user = request.auth  # type: ignore[attr-defined]
    if not user.has_shinsa_perm(perm):
        raise AuthorizationError()
    scope = needed_scope(perm, request.method or "GET")
    if scope not in getattr(request, "token_scopes", ALL_SCOPES):
        raise MissingScope(scope)
    return user
