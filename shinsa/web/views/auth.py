"""Sign-in with Django's auth view, in Shinsa's template, opening in the person's own language."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponse


class SignInView(auth_views.LoginView):
    template_name = "web/pages/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form) -> HttpResponse:  # type: ignore[no-untyped-def]
        response = super().form_valid(form)
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
