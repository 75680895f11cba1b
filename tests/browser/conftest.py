"""Playwright driving Debian chromium against a live server. Nothing is downloaded: the browser is
the system's /usr/bin/chromium (bin/test installs it with apt-get when missing)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_django.live_server_helper import LiveServer

from tests.catalog.conftest import media_root  # noqa: F401 - the catalog's fixture, shared

CHROMIUM = Path(os.environ.get("SHINSA_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture
def live_server(settings) -> Iterator[LiveServer]:
    # Shinsa serves no media from a public URL (MEDIA_URL is None), but Django's live server wraps
    # every request in a media-files handler that needs a string prefix: give it one that matches
    # nothing. Function-scoped, so the setting is restored after each test.
    settings.MEDIA_URL = "/__media-is-not-served__/"
    server = LiveServer("localhost")
    yield server
    server.stop()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def page(live_server) -> Iterator:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian chromium (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop on this thread; the test's own ORM calls are plain
    # synchronous code, so Django's guard against async contexts does not apply to them.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
            context = browser.new_context(
                base_url=live_server.url, viewport={"width": 1366, "height": 860}, locale="en-GB"
            )
            context.set_default_timeout(10_000)
            yield context.new_page()
            context.close()
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def totp_secret_for(username: str) -> str | None:
    """The TOTP key of a person whose role needs a second factor (a confirmed device is made with the
    demo's derived key when they have none); None for everyone else."""
    from shinsa.accounts.models import User
    from shinsa.accounts.second_factor import (
        confirmed_device,
        do_enrol_confirmed_totp,
        user_needs_second_factor,
    )
    from shinsa.demo.people import demo_totp_secret

    user = User.objects.get(username=username)
    if not user_needs_second_factor(user):
        return None
    secret = demo_totp_secret(username)
    if confirmed_device(user) is None:
        do_enrol_confirmed_totp(actor="system", user=user, secret=secret)
    return secret


def sign_in(
    page, username: str, password: str, *, totp_secret: str | None = None, next_path: str = "/"
) -> None:
    """Sign in through the real form; people whose roles need a second factor then type the code their
    authenticator would show, computed from their TOTP key (``totp_secret``, base32). A code works once,
    so a second sign-in within the same 30 seconds types the next one (the server allows one step)."""
    page.goto(f"/login/?next={next_path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if totp_secret is None:
        return
    pass_second_factor(page, totp_secret)


def pass_second_factor(page, totp_secret: str) -> None:
    """On the verify page, type the code from the key (by keyboard: the field has the focus, in any
    language). A code works once, so if it was just used the next one (allowed one step ahead) follows."""
    import time

    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    from shinsa.accounts.second_factor import current_code

    page.wait_for_url("**/account/two-factor/**")
    if "/verify/" not in page.url:  # no device the server sees yet: enrol with the key the page shows
        totp_secret = page.get_by_test_id("totp-secret").inner_text()
    for at in (time.time(), time.time() + 30):
        page.locator("input[autocomplete=one-time-code]").fill(current_code(totp_secret, at=at))
        page.keyboard.press("Enter")
        try:
            page.wait_for_url(lambda url: "/account/two-factor/" not in url, timeout=15_000)
            return
        except PlaywrightTimeout:
            page.locator("#code-error").wait_for()  # refused: the code was used already; type the next
    raise AssertionError("the second factor was refused")


from tests.accounts.oidc_provider import idp  # noqa: E402, F401 - the local OIDC provider, for SSO tests
