"""Hash bank pages in a real browser: one policy owner adds an entry, a second one confirms it."""

from __future__ import annotations

import re

import pytest

from shinsa.accounts.roles import Role
from shinsa.banks.matching import forget_matcher
from shinsa.banks.models import BankEntry
from tests.browser.conftest import sign_in as browser_sign_in
from tests.browser.conftest import totp_secret_for
from tests.cast import PASSWORD, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PDQ = "0123456789abcdef" * 4


def sign_in(page, username: str) -> None:
    # Policy owners pass the second factor with a real code from their key.
    browser_sign_in(page, username, PASSWORD, totp_secret=totp_secret_for(username), next_path="/banks/")


def test_two_policy_owners_add_and_confirm_an_entry(page, artifacts):
    from playwright.sync_api import expect

    forget_matcher()
    make_person("pia", Role.POLICY_OWNER)
    make_person("paul", Role.POLICY_OWNER)
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)

    sign_in(page, "pia")
    expect(page.get_by_role("heading", name="Hash banks", level=1)).to_be_visible()
    page.locator("#id_name").fill("known-violence")
    page.locator("#id_policy_area").select_option("violence")
    page.get_by_role("button", name="Create bank").click()
    expect(page).to_have_url(re.compile(r"/banks/\d+/$"))
    page.locator("#id_value").fill(PDQ)
    page.locator("#id_label").fill("case 12")
    page.get_by_role("button", name="Add entry").click()
    expect(page.get_by_text("until another person confirms it")).to_be_visible()
    expect(page.get_by_role("button", name="Confirm")).to_have_count(0)  # not for the one who added it
    page.screenshot(path=artifacts / "banks-01-pending.png", full_page=True)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "paul")
    page.get_by_role("link", name="known-violence").click()
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("it is matched from now on")).to_be_visible()
    page.screenshot(path=artifacts / "banks-02-confirmed.png", full_page=True)
    assert BankEntry.objects.get().status == "active"
    assert problems == []  # no CSP violation or script error on the way
    forget_matcher()
