"""State changes of the web console: sign-in outcomes (throttle rows and their audit events)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from shinsa import audit
from shinsa.accounts.models import User
from shinsa.web.models import SignInFailure
from shinsa.web.signin import now_ms, throttle_key, window_start


def _account(username: str) -> User | None:
    return User.objects.filter(username=username.strip()).first()


@transaction.atomic
def do_record_sign_in_failure(*, username: str, address: str) -> bool:
    """Counts a failed sign-in and audits it; returns True when this failure locks the pair.

    The audit row names the account only when it exists (by id); a mistyped or guessed username is
    never stored, only a short keyed hash that lets repeated attempts be grouped.
    """
    at_ms = now_ms()
    key = throttle_key(username, address)
    SignInFailure.objects.filter(failed_at_ms__lte=window_start(at_ms)).delete()
    SignInFailure.objects.create(key=key, failed_at_ms=at_ms)
    failures = SignInFailure.objects.filter(key=key).count()
    locked = failures >= settings.SIGN_IN_MAX_FAILURES
    account = _account(username)
    target = {"obj": account} if account else {"object_type": "auth.sign_in", "object_id": key[:12]}
    summary = {"attempt": key[:12], "failures": failures, "known_account": account is not None}
    audit.record(actor="anonymous", verb="auth.login_failed", after=summary, **target)
    if locked and failures == settings.SIGN_IN_MAX_FAILURES:
        audit.record(
            actor="anonymous",
            verb="auth.locked",
            after={**summary, "window_seconds": settings.SIGN_IN_WINDOW_SECONDS},
            **target,
        )
    return locked


@transaction.atomic
def do_record_sign_in(*, user: User, address: str) -> None:
    """A successful sign-in: audited, and the pair's failures are forgotten."""
    SignInFailure.objects.filter(key=throttle_key(user.get_username(), address)).delete()
    audit.record(actor=user, verb="auth.login", obj=user)
