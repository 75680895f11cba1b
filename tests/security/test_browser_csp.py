"""The console under its strict Content-Security-Policy in a real browser: zero violations, zero
page errors on the home, catalog, title, compliance and assessment pages (with the video player) and
the review console (my queues, the item page)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import artifacts, live_server, page  # noqa: F401 - shared fixtures
from tests.cast import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${where}`);
});
"""


def test_it_shows_every_page_without_a_csp_violation_or_console_error(page, world, cast):  # noqa: F811
    from playwright.sync_api import expect

    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.context.add_init_script(COLLECT_VIOLATIONS)

    page.goto("/login/")
    page.get_by_label("Username").fill("rin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Welcome, Rin")).to_be_visible()

    violations: list[str] = []
    for path in (
        "/",
        "/catalog/",
        f"/catalog/{world.external_id}/",
        "/ratings/",
        f"/ratings/cut/{world.external_id}/{world.label}/",
        f"/ratings/assessments/{world.assessment_id}/",
    ):
        response = page.goto(path)
        assert response is not None and response.ok, path
        assert "default-src 'self'" in (response.header_value("content-security-policy") or "")
        page.wait_for_load_state("load")
        violations += [f"{path}: {v}" for v in page.evaluate("window.__cspViolations")]

    # The player's source is the same-origin media view (media-src 'self'); the example clip is a
    # stand-in file, so only the policy is checked here, not playback (tests/ratings plays real video).
    assert page.locator("video[data-player-video]").count() == 1
    violations += page.evaluate("window.__cspViolations")

    # The review console: my queues, then the item page with the player, subtitles and forms.
    from shinsa.catalog.models import TitleVersion
    from tests.review.conftest import give_skills
    from tests.review.console_world import make_item

    give_skills(cast.rin, territories=("JP",))
    make_item(TitleVersion.objects.get(title__external_id=world.external_id, label=world.label))
    page.goto("/review/")
    violations += [f"/review/: {v}" for v in page.evaluate("window.__cspViolations")]
    page.get_by_role("button", name="Next item").click()
    expect(page.locator("[data-player-root][data-ready]")).to_have_count(1)
    violations += [f"{page.url}: {v}" for v in page.evaluate("window.__cspViolations")]
    assert not violations, violations
    assert not errors, errors
