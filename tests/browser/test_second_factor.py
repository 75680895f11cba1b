"""Two-step sign-in in a real browser: a senior enrols by the QR page's key and a real code; an admin
with a seeded device signs in with the code computed from the key, as the demo's people do."""

from __future__ import annotations

import re

import pytest

from shinsa.accounts.roles import Role
from shinsa.accounts.second_factor import confirmed_device, current_code, do_enrol_confirmed_totp
from shinsa.demo.people import demo_totp_secret
from tests.browser.conftest import sign_in
from tests.cast import PASSWORD, make_person

pytestmark = [pytest.mark.browser, pytest.mark.second_factor, pytest.mark.django_db(transaction=True)]


def test_a_senior_enrols_from_the_page_and_reaches_the_console(page, artifacts):
    from playwright.sync_api import expect

    sora = make_person("sora", Role.SENIOR_REVIEWER)
    sign_in(page, "sora", PASSWORD, next_path="/catalog/")
    expect(page).to_have_url(re.compile(r"/account/two-factor/\?next=/catalog/$"))
    expect(page.locator(".qr-code svg")).to_be_visible()
    secret = page.get_by_test_id("totp-secret").inner_text()
    page.screenshot(path=str(artifacts / "two-factor-enrol.png"))
    page.get_by_label("Code from your authenticator app").fill("000000")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("alert")).to_contain_text("not right")
    page.get_by_label("Code from your authenticator app").fill(current_code(secret))
    page.get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(re.compile(r"/catalog/$"))
    assert confirmed_device(sora) is not None


def test_an_admin_signs_in_with_the_code_from_the_seeded_key(page):
    from playwright.sync_api import expect

    ada = make_person("ada", Role.ADMIN, superuser=True)
    secret = demo_totp_secret("ada")
    do_enrol_confirmed_totp(actor="system", user=ada, secret=secret)
    sign_in(page, "ada", PASSWORD, totp_secret=secret, next_path="/admin/")
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.locator("body")).not_to_contain_text("Two-step sign-in")
