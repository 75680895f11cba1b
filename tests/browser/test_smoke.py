"""The console end to end in a real browser: sign in, switch to Japanese, see the catalog, ask for help."""

from __future__ import annotations

import re

import pytest

from shinsa.accounts.roles import Role
from tests.cast import PASSWORD, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_signs_in_switches_to_japanese_and_shows_the_shortcuts(page, artifacts):
    from playwright.sync_api import expect

    make_person("rin", Role.REVIEWER)

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
    page.get_by_label("Username").fill("rin")
    page.get_by_label("Password").fill(PASSWORD)
    page.screenshot(path=artifacts / "01-login-en.png", full_page=True)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="Welcome, Rin")).to_be_visible()
    expect(page.get_by_role("heading", name="My queue")).to_be_visible()
    page.screenshot(path=artifacts / "02-home-en.png", full_page=True)

    page.get_by_role("button", name="日本語").click()
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.get_by_role("heading", name="ようこそ、Rin さん")).to_be_visible()
    expect(page.get_by_role("heading", name="自分の審査キュー")).to_be_visible()
    expect(page.get_by_role("button", name="ログアウト")).to_be_visible()
    page.screenshot(path=artifacts / "03-home-ja.png", full_page=True)

    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="キーボードショートカット")
    expect(dialog).to_be_visible()
    page.screenshot(path=artifacts / "04-shortcuts-ja.png")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
