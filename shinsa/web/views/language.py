"""The header's language switch: Django's set_language, remembered on the account when signed in."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from shinsa.web.actions import do_set_preferred_language, supported_language


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and supported_language(language):
        do_set_preferred_language(actor=request.user, language=language)
    return response
