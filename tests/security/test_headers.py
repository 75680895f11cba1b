"""Every page and API route answers with the security headers, whoever asks and whatever the status."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.security.test_rbac_matrix import API, PAGES, _send

CSP_DIRECTIVES = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "media-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
}


def _check_headers(response, where: str, *, page: bool = True) -> list[str]:
    problems = []
    csp = response.get("Content-Security-Policy", "")
    directives = {part.strip() for part in csp.split(";")}
    if missing := CSP_DIRECTIVES - directives:
        problems.append(f"{where}: CSP lacks {sorted(missing)}")
    if "unsafe-inline" in csp or "unsafe-eval" in csp:
        problems.append(f"{where}: CSP allows inline code")
    expected = {
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Cross-Origin-Resource-Policy": "same-origin",
    }
    if page:  # WhiteNoise answers static files before the clickjacking middleware; CSP covers them
        expected["X-Frame-Options"] = "DENY"
    for header, value in expected.items():
        if response.get(header) != value:
            problems.append(f"{where}: {header} is {response.get(header)!r}, not {value!r}")
    policy = response.get("Permissions-Policy", "")
    if "camera=()" not in policy or "microphone=()" not in policy:
        problems.append(f"{where}: Permissions-Policy is {policy!r}")
    return problems


@pytest.mark.parametrize("name", ["anonymous", "ada", "olive"])
def test_it_sends_the_security_headers_on_every_route(cast, world, name):
    problems: list[str] = []
    for expect in [*PAGES.values(), *API.values()]:
        client = Client()
        if name != "anonymous":
            client.force_login(getattr(cast, name))
        response = _send(client, expect, world)
        problems += _check_headers(response, f"{expect.method} {expect.path} ({response.status_code})")
    assert not problems, "\n".join(problems)


def test_it_sends_them_on_not_found_and_static_files_too(db):
    client = Client()
    assert not _check_headers(client.get("/no-such-page/"), "404")
    assert not _check_headers(client.get("/static/shinsa/console.js"), "static", page=False)


def test_it_keeps_the_session_cookie_away_from_scripts_and_other_sites(cast, settings):
    from tests.cast import PASSWORD

    response = Client().post("/login/", {"username": "rin", "password": PASSWORD})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == ""  # ends with the browser; the server-side age caps a shift
    assert settings.SESSION_COOKIE_AGE == 12 * 3600
