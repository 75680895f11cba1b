"""A real browser renders the dashboard's inline SVG charts, with data, under the strict CSP."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.cast import PASSWORD
from tests.insights.history import make_history

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_renders_the_charts_with_data(page, artifacts, cast):
    make_history(cast)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto("/insights/")
    page.get_by_label("Username").fill("kai")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#chart-reports svg")).to_be_visible()
    for key in ("reports", "backlog", "sla", "by-policy", "precision"):
        chart = page.locator(f"#chart-{key} svg")
        box = chart.bounding_box()
        assert box and box["width"] > 300 and box["height"] > 60, key
        assert chart.locator("[data-value]").count() > 0, key
    assert page.locator("#chart-reports .chart__mark").count() >= 1
    assert not [e for e in errors if "Content Security Policy" in e], errors
    page.screenshot(path=str(artifacts / "insights-dashboard.png"), full_page=True)


def test_the_escalated_page_is_acknowledged_in_the_browser(page, artifacts, cast):
    from shinsa.oncall.models import Page

    make_history(cast)
    escalated = Page.objects.get(kind="anomaly")
    assert escalated.level == 1
    page.goto(f"/oncall/pages/{escalated.pk}/")
    page.get_by_label("Username").fill("mei")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#page-status")).to_have_text("open")
    page.screenshot(path=str(artifacts / "oncall-page.png"), full_page=True)
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.locator("#page-status")).to_have_text("acknowledged")
    escalated.refresh_from_db()
    assert escalated.acked_by_id == cast.mei.pk
