"""The TOTP second factor (django-otp): who needs it, enrolment, confirmation, reset.

Roles that can confirm removals, change policies or manage users (``roles.SECOND_FACTOR_PERMS``) and
superusers must pass a TOTP code after their password or single sign-on before the console lets them
in. Each writer runs in a transaction and is audited; secrets never reach the audit log.
"""

from __future__ import annotations

import base64
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from shinsa import audit
from shinsa.accounts.models import User
from shinsa.accounts.roles import needs_second_factor, permissions_for

DEVICE_NAME = "authenticator app"
ISSUER = "Shinsa"


class SecondFactorError(Exception):
    """A code was wrong or the enrolment cannot go on; the message is one sentence for the person."""


def user_needs_second_factor(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return needs_second_factor(permissions_for(user.role_set()), superuser=user.is_superuser)


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def secret_base32(device: TOTPDevice) -> str:
    """The shared secret as authenticator apps take it when typed in (RFC 4648 base32, no padding)."""
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


def current_code(secret: str, *, at: float | None = None) -> str:
    """The code an authenticator shows at ``at`` (default now) for a base32 secret (demo and tests)."""
    padded = secret.replace(" ", "").upper()
    totp = TOTP(base64.b32decode(padded + "=" * (-len(padded) % 8)), step=30, digits=6)
    if at is not None:
        totp.time = at
    return f"{totp.token():06d}"


@transaction.atomic
def do_start_totp_enrolment(*, actor: Any, user: User) -> TOTPDevice:
    """An unconfirmed device with a fresh secret (kept while the person has not confirmed it)."""
    if confirmed_device(user) is not None:
        raise SecondFactorError(_("You already have an authenticator; ask an administrator to reset it."))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
        audit.record(
            actor=actor, verb="accounts.totp.enrolment_started", obj=user, after={"device": device.pk}
        )
    return device


@transaction.atomic
def do_confirm_totp_device(*, actor: Any, device: TOTPDevice, code: str) -> TOTPDevice:
    """Confirm an enrolment with the first code the person's app shows."""
    locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if locked.confirmed:
        return locked
    if not _accepts(locked, code):
        raise SecondFactorError(_("That code is not right. Check the time on your phone and try again."))
    locked.confirmed = True
    locked.save(update_fields=["confirmed"])
    audit.record(actor=actor, verb="accounts.totp.confirmed", obj=locked.user, after={"device": locked.pk})
    return locked


@transaction.atomic
def do_enrol_confirmed_totp(*, actor: Any, user: User, secret: str | None = None) -> TOTPDevice:
    """A confirmed device at once (the demo and administrators' set-up); ``secret`` in base32 or new."""
    TOTPDevice.objects.filter(user=user).delete()
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8)).hex() if secret else None
    fields = {"key": key} if key else {}
    device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True, **fields)
    audit.record(actor=actor, verb="accounts.totp.enrolled", obj=user, after={"device": device.pk})
    return device


@transaction.atomic
def do_reset_second_factor(*, actor: Any, user: User, reason: str) -> int:
    """Remove a person's devices (lost phone); they enrol again at their next sign-in."""
    if not reason.strip():
        raise SecondFactorError(_("Say why the second factor is reset."))
    removed, _detail = TOTPDevice.objects.filter(user=user).delete()
    audit.record(actor=actor, verb="accounts.totp.reset", obj=user, after={"removed": removed}, reason=reason)
    return removed


def verify_code(device: TOTPDevice, code: str) -> bool:
    """Check a sign-in code (django-otp throttles repeated failures and refuses a code used twice)."""
    return _accepts(device, code)


def _accepts(device: TOTPDevice, code: str) -> bool:
    code = "".join(code.split())
    if not code.isdigit() or len(code) != device.digits:
        return False
    allowed, _info = device.verify_is_allowed()
    return bool(allowed) and device.verify_token(code)
