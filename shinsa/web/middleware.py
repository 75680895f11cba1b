from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from shinsa.web.request_context import current_request_id, reset_request_id, set_request_id

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Takes X-Request-ID from a trusted proxy when well-formed, else makes one; echoes it back."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = set_request_id(request_id)
        try:
            response = self.get_response(request)
        finally:
            reset_request_id(token)
        response["X-Request-ID"] = request_id
        return response


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set: Permissions-Policy and CORP.

    Content-Security-Policy comes from Django's own middleware (``SECURE_CSP``); see docs/security.md.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        # Our pages, files and media are for our own origin only.
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


class RequestIdLogFilter(logging.Filter):
    """Puts the current request id on every log record ("-" outside a request).

    Django logs a 4xx/5xx response after the middleware has returned, so its records carry the request
    itself; the id is read from there when the context no longer holds it.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = current_request_id() or getattr(getattr(record, "request", None), "request_id", "")
        record.request_id = request_id or "-"
        return True


class SecondFactorMiddleware:
    """People whose roles need a second factor (see ``shinsa.accounts.second_factor``) reach no page
    until their session is verified with a TOTP code: they are sent to enrol or verify first. The API
    checks the same for session callers itself (``shinsa.api.auth``); tokens are a separate credential.
    Runs after django-otp's OTPMiddleware, which sets ``request.user.is_verified``."""

    EXEMPT_NAMES = frozenset(
        {"two_factor_enrol", "two_factor_verify", "logout", "login", "set_language", "healthz"}
    )
    EXEMPT_PREFIXES = ("/static/", "/api/", "/accounts/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from shinsa.accounts.second_factor import user_needs_second_factor
        from shinsa.web.views.second_factor import redirect_to_second_factor

        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(self.EXEMPT_PREFIXES)
            and not user.is_verified()
            and user_needs_second_factor(user)
            and not self._exempt(request)
        ):
            return redirect_to_second_factor(request)
        return self.get_response(request)

    def _exempt(self, request: HttpRequest) -> bool:
        from django.urls import Resolver404, resolve

        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.url_name in self.EXEMPT_NAMES
