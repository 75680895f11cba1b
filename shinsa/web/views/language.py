"""The header's language switch: Django's set_language, remembered on the account when signed in."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from shinsa.accounts.actions import do_update_user


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        # People may change their own language; the action audits it and skips a no-op.
        do_update_user(actor=request.user, user=request.user, preferred_language=language)
    return response
