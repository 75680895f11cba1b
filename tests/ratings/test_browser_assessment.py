"""The assessment page in a real browser: the player's i/o keys fill a finding's time range."""

from __future__ import annotations

import hashlib
from fractions import Fraction

import pytest

from shinsa.catalog.models import Asset, AssetVersion
from shinsa.catalog.storage import store_file
from tests.browser.conftest import artifacts, live_server, page  # noqa: F401 - shared fixtures
from tests.cast import PASSWORD
from tests.catalog.conftest import media_root  # noqa: F401 - shared fixture

pytestmark = [pytest.mark.browser, pytest.mark.media, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def film_with_video(catalog, media_root, tmp_path):  # noqa: F811 - the fixture imported above
    from shinsa.media.synthetic import ClipSpec, Scene, encode_clip

    clip = tmp_path / "clip.mp4"
    encode_clip(ClipSpec(scenes=(Scene(frames=96, hue=0.3),), fps=Fraction(24)), clip)
    content = clip.read_bytes()
    digest = hashlib.sha256(content).hexdigest()
    asset = Asset.objects.create(title_version=catalog.film_cut, kind="video")
    AssetVersion.objects.create(
        asset=asset,
        number=1,
        sha256=digest,
        size_bytes=len(content),
        file=store_file(clip, digest, ".mp4"),
        media_type="video/mp4",
    )
    return catalog


def _seek(browser_page, seconds: float) -> None:
    browser_page.evaluate(
        """(seconds) => new Promise((done) => {
            const video = document.querySelector("video[data-player-video]");
            const go = () => {
                video.addEventListener("seeked", () => done(), { once: true });
                video.currentTime = seconds;
            };
            if (video.readyState >= 1) go();
            else video.addEventListener("loadedmetadata", go, { once: true });
        })""",
        seconds,
    )


def test_it_marks_in_and_out_from_the_player_and_proposes_ratings(page, artifacts, cast, film_with_video):  # noqa: F811
    from playwright.sync_api import expect

    page.goto("/login/?next=/ratings/cut/film-1/theatrical/")
    page.get_by_label("Username").fill("rin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Start an assessment").click()
    expect(page.get_by_role("heading", name="Player")).to_be_visible()

    page.locator("body").click(position={"x": 5, "y": 5})  # focus out of any field
    _seek(page, 1.5)
    page.keyboard.press("i")
    _seek(page, 2.75)
    page.keyboard.press("o")
    expect(page.locator("[data-mark='in']")).to_have_value("1500")
    expect(page.locator("[data-mark='out']")).to_have_value("2750")
    page.get_by_label("Descriptor").select_option("violence")
    page.get_by_label("Intensity").select_option("3")
    page.screenshot(path=artifacts / "ratings-01-marked.png", full_page=True)
    page.get_by_role("button", name="Add finding").click()
    expect(page.get_by_text("00:00:01.500–00:00:02.750").first).to_be_visible()

    page.get_by_role("button", name="Submit: compute proposals").click()
    row = page.locator("[data-proposal='bbfc-GB']")
    expect(row).to_contain_text("15")
    expect(row).to_contain_text("Violence 3")
    page.screenshot(path=artifacts / "ratings-02-proposals.png", full_page=True)
