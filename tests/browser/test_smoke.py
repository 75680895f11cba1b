"""The console end to end in a real browser: sign in, switch to Japanese, see the catalog, use the keys."""

from __future__ import annotations

import json
import re

import pytest

from shinsa.accounts.roles import Role
from shinsa.catalog.ingest import ingest_manifest_file
from tests.cast import PASSWORD, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLES = [
    ("hoshi", "series", "星の旅", "Journey of the Stars"),
    ("kaze", "film", "風の街", "Town of Wind"),
    ("umi", "film", "海の声", "Voice of the Sea"),
]


@pytest.fixture
def catalog(tmp_path, request):
    """A few titles, through the catalog's real ingest of a manifest."""
    request.getfixturevalue("media_root")  # stored files go to this test's own folder
    entries = [
        {
            "id": external_id,
            "kind": kind,
            "original_title": ja,
            "original_language": "ja",
            "year": 2024,
            "versions": [
                {
                    "label": "original",
                    "availability": [{"territory": "JP", "start": "2024-01-01", "end": None}],
                    "assets": [
                        {"kind": "metadata", "language": "ja", "title": ja, "synopsis": "", "tags": []},
                        {"kind": "metadata", "language": "en", "title": en, "synopsis": "", "tags": []},
                    ],
                }
            ],
        }
        for external_id, kind, ja, en in TITLES
    ]
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"format": "shinsa-manifest/1", "titles": entries}), encoding="utf-8")
    ingest_manifest_file(actor="system", path=manifest)


def test_it_signs_in_switches_to_japanese_and_browses_the_catalog_by_keyboard(page, artifacts, catalog):
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
    expect(dialog.get_by_text("カタログへ移動")).to_be_visible()
    page.screenshot(path=artifacts / "04-shortcuts-ja.png")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    page.keyboard.press("g")
    page.keyboard.press("c")
    expect(page).to_have_url(re.compile(r"/catalog/$"))
    expect(page.get_by_role("heading", name="カタログ", exact=True)).to_be_visible()
    for _, _, ja, _ in TITLES:
        expect(page.get_by_role("link", name=ja)).to_be_visible()
    expect(page.get_by_text("3 件のタイトル")).to_be_visible()
    page.screenshot(path=artifacts / "05-catalog-ja.png", full_page=True)

    page.keyboard.press("/")
    search = page.get_by_label("タイトルを検索")
    expect(search).to_be_focused()
    search.fill("Wind")
    search.press("Enter")
    expect(page.get_by_role("link", name="風の街")).to_be_visible()
    expect(page.get_by_role("link", name="星の旅")).to_have_count(0)

    page.get_by_role("link", name="風の街").click()
    expect(page.get_by_role("heading", name="風の街", level=1)).to_be_visible()
    expect(page.get_by_text("配信中")).to_be_visible()
    page.screenshot(path=artifacts / "06-title-ja.png", full_page=True)

    page.keyboard.press("g")
    page.keyboard.press("h")
    expect(page.get_by_role("heading", name="ようこそ、Rin さん")).to_be_visible()
