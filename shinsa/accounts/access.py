"""The only way views, the API and actions check Shinsa permissions. One condition per line."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse

from shinsa.accounts.errors import MissingPermission
from shinsa.accounts.models import User
from shinsa.accounts.roles import Perm


def user_can(user: Any, perm: Perm) -> bool:
    """Whether ``user`` (possibly anonymous or None) holds ``perm`` through an active account's roles."""
    if user is None:
        return False
    if not user.is_authenticated:
        return False
    if not user.is_active:
        return False
    return user.has_shinsa_perm(perm)


def require_perm(user: Any, perm: Perm) -> None:
    """Raise MissingPermission (a PermissionDenied: 403 in views) unless ``user`` holds ``perm``."""
    if not user_can(user, perm):
        raise MissingPermission(perm)


def perm_required(perm: Perm) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """View decorator: anonymous visitors go to the login page; signed-in people without ``perm`` get 403."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            require_perm(request.user, perm)
            return view(request, *args, **kwargs)

        return checked

    return decorator


def access_user_for_manager(actor: Any, user_id: int) -> User:
    """The account ``user_id`` for someone who may manage users; 403 without the permission, else 404."""
    require_perm(actor, Perm.MANAGE_USERS)
    try:
        return User.objects.get(pk=user_id)
    except User.DoesNotExist:
        raise Http404("no such user") from None
