"""The asset page in a real browser: progress follows a run live (polling, no inline script), then the page
shows the hits; media stays blurred until revealed."""

from __future__ import annotations

import threading

import pytest

from shinsa.accounts.roles import Role
from shinsa.screening.enqueue import enqueue_screening
from shinsa.screening.stages import run_screening
from tests.browser.conftest import live_server, page  # noqa: F401 - shared fixtures
from tests.cast import PASSWORD, make_person
from tests.catalog.conftest import media_root  # noqa: F401 - shared fixture

pytestmark = [pytest.mark.browser, pytest.mark.media, pytest.mark.django_db(transaction=True)]


def _sign_in(tab) -> None:
    make_person("rin", Role.REVIEWER)
    tab.goto("/login/")
    tab.get_by_label("Username").fill("rin")
    tab.get_by_label("Password").fill(PASSWORD)
    tab.get_by_role("button", name="Sign in").click()


def test_progress_is_live_and_hits_appear_when_the_run_ends(page, media_root, catalog):  # noqa: F811
    from playwright.sync_api import expect

    enqueue_screening(actor="system", asset_version_id=catalog.subtitle.pk)
    _sign_in(page)
    page.goto(f"/screening/asset-versions/{catalog.subtitle.pk}/")
    expect(page.locator("[data-run-status]")).to_have_text("queued")
    expect(page.get_by_text("No hits.")).to_be_visible()
    worker = threading.Thread(target=run_screening, args=(catalog.subtitle.pk,))
    worker.start()
    worker.join(60)
    # the page notices by polling, then reloads itself with the finished run
    expect(page.locator("[data-screening-progress]")).to_have_attribute("data-live", "0", timeout=15_000)
    expect(page.locator("[data-run-status]")).to_have_text("done")
    expect(page.locator(".cues mark").first).to_have_text("kill you")
    expect(page.locator("[data-stage='review'] [data-stage-progress]")).to_have_attribute("value", "1.000")


def test_media_is_blurred_until_revealed(page, media_root, catalog):  # noqa: F811
    from playwright.sync_api import expect

    run_screening(catalog.video.pk)
    _sign_in(page)
    page.goto(f"/screening/asset-versions/{catalog.video.pk}/")
    media = page.locator("[data-blurred]")
    expect(media).to_have_class("screening-media is-blurred")
    page.get_by_role("button", name="Show media").click()
    expect(media).to_have_class("screening-media")
    expect(page.get_by_role("button", name="Show media")).to_have_attribute("aria-pressed", "true")
