"""Sign-in with Django's auth view, in Shinsa's template, opening in the person's own language.

Failed attempts are counted per username and address (``shinsa.web.signin``); a locked pair is refused
before the password is even checked, with HTTP 429 and one clear message.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shinsa.web.actions import do_record_sign_in, do_record_sign_in_failure
from shinsa.web.signin import client_address, is_locked

LOCKED_MESSAGE = _("Too many failed sign-ins. Wait %(minutes)d minutes, then try again.")


class ThrottledAuthenticationForm(AuthenticationForm):
    def clean(self):  # type: ignore[no-untyped-def]
        username = self.cleaned_data.get("username") or ""
        address = client_address(self.request)
        if username and is_locked(username=username, address=address):
            raise self._locked()
        try:
            return super().clean()
        except forms.ValidationError as error:
            if username and getattr(error, "code", None) == "invalid_login":
                if do_record_sign_in_failure(username=username, address=address):
                    raise self._locked() from None
            raise

    @staticmethod
    def _locked() -> forms.ValidationError:
        minutes = max(1, settings.SIGN_IN_WINDOW_SECONDS // 60)
        return forms.ValidationError(LOCKED_MESSAGE, code="locked", params={"minutes": minutes})


class SignInView(auth_views.LoginView):
    template_name = "web/pages/login.html"
    redirect_authenticated_user = True
    authentication_form = ThrottledAuthenticationForm

    def get_context_data(self, **kwargs):  # type: ignore[no-untyped-def]
        context = super().get_context_data(**kwargs)
        apps = settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {}).get("APPS", [])
        if apps:  # single sign-on is configured (docs/security.md)
            context["sso_name"] = apps[0]["name"]
            provider = {"provider_id": apps[0]["provider_id"]}
            context["sso_url"] = reverse("openid_connect_login", kwargs=provider)
        return context

    def form_invalid(self, form) -> HttpResponse:  # type: ignore[no-untyped-def]
        response = super().form_invalid(form)
        if any(error.code == "locked" for error in form.non_field_errors().as_data()):
            response.status_code = 429
        return response

    def form_valid(self, form) -> HttpResponse:  # type: ignore[no-untyped-def]
        response = super().form_valid(form)
        do_record_sign_in(user=form.get_user(), address=client_address(self.request))
        # The console opens in the language the person chose last time, on any device.
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            form.get_user().preferred_language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        return response
