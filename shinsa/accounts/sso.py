"""Single sign-on over OpenID Connect through django-allauth.

The identity provider proves who someone is; Shinsa decides what they may do. A first SSO sign-in is
matched to an existing, active Shinsa account by the e-mail address the provider says it has verified
(exactly one account, compared case-insensitively) and linked to it; later sign-ins follow the link.
No account is ever created and no role is ever granted from the provider's claims: an identity without
a matching account is refused with a clear page. People whose roles need a second factor still pass
TOTP afterwards (``shinsa.web.middleware.SecondFactorMiddleware``).
"""

from __future__ import annotations

from typing import Any

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from shinsa import audit
from shinsa.accounts.models import User


class SsoRefused(Exception):
    """The identity cannot sign in to Shinsa; the message is one sentence for the person."""


def verified_email(claims: dict[str, Any]) -> str | None:
    """The e-mail address from the provider's claims, only when it says the address is verified."""
    email = claims.get("email")
    verified = claims.get("email_verified")
    if isinstance(verified, str):  # some providers send "true"
        verified = verified.lower() == "true"
    if not isinstance(email, str) or not email.strip() or verified is not True:
        return None
    return email.strip()


def account_for_identity(claims: dict[str, Any]) -> User:
    """The one active account whose e-mail is the identity's verified e-mail; else SsoRefused."""
    email = verified_email(claims)
    if email is None:
        raise SsoRefused(_("Your identity provider did not confirm a verified e-mail address."))
    matches = list(User.objects.filter(email__iexact=email, is_active=True)[:2])
    if len(matches) != 1:
        raise SsoRefused(
            _("No Shinsa account matches %(email)s. Ask your administrator to add you.") % {"email": email}
        )
    return matches[0]


def _claims(sociallogin: Any) -> dict[str, Any]:
    data = sociallogin.account.extra_data or {}
    merged: dict[str, Any] = {}
    for part in ("id_token", "userinfo"):
        if isinstance(data.get(part), dict):
            merged |= data[part]
    return merged or dict(data)


def refused_page(request: HttpRequest, message: str, status: int = 403) -> HttpResponse:
    return render(request, "web/pages/sso_refused.html", {"message": message}, status=status)


class ShinsaSocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        return False  # accounts are made by administrators, never by the identity provider

    def pre_social_login(self, request: HttpRequest, sociallogin: Any) -> None:
        if sociallogin.is_existing:
            if not sociallogin.user.is_active:
                raise ImmediateHttpResponse(refused_page(request, _("This Shinsa account is disabled.")))
            return
        try:
            user = account_for_identity(_claims(sociallogin))
        except SsoRefused as refusal:
            raise ImmediateHttpResponse(refused_page(request, str(refusal))) from None
        with transaction.atomic():
            sociallogin.connect(request, user)
            audit.record(
                actor=user,
                verb="accounts.sso.linked",
                obj=user,
                after={"provider": sociallogin.account.provider, "subject": sociallogin.account.uid},
            )

    def on_authentication_error(
        self,
        request: HttpRequest,
        provider: Any,
        error: Any = None,
        exception: Any = None,
        extra_context: Any = None,
    ) -> None:
        message = _("Single sign-on did not complete. Try again, or sign in with your password.")
        raise ImmediateHttpResponse(refused_page(request, message, status=400))


def login_error(request: HttpRequest) -> HttpResponse:
    """allauth's error and cancel pages, in Shinsa's own template."""
    return refused_page(
        request, _("Single sign-on did not complete. Try again, or sign in with your password."), 400
    )
