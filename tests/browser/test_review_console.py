"""The review console in Debian chromium, keyboard only (no mouse clicks), in English and Japanese:
a reviewer works a queue (wellness blur and progressive reveal, exposure recorded from actual playing
time, marks in/out make the evidence, a decision cites a clause, one item escalated, a removal waits for
four-eyes); a senior confirms one removal and rejects another, and decides an appeal."""

from __future__ import annotations

import re

import pytest

from shinsa.accounts.actions import do_update_user
from shinsa.review.actions import do_claim_next_item, do_decide, do_open_appeal
from shinsa.review.models import (
    Appeal,
    Decision,
    DecisionStatus,
    Escalation,
    ExposureEntry,
    ItemStatus,
    WorkItem,
)
from tests.browser.conftest import artifacts, live_server, page, pass_second_factor, totp_secret_for  # noqa: F401 - shared fixtures
from tests.cast import CAST_ACTOR, PASSWORD
from tests.review.conftest import give_skills, make_version
from tests.review.console_world import add_media, make_clip, make_item

pytestmark = [pytest.mark.browser, pytest.mark.media, pytest.mark.django_db(transaction=True)]

TEXT = {
    "en": {"recorded": "Decision recorded.", "escalated": "Escalated", "pending": "second reviewer"},
    "ja": {
        "recorded": "判定を記録しました。",
        "escalated": "エスカレーションしました",
        "pending": "2人目の確認",
    },
}


@pytest.fixture
def versions(cast, tmp_path, request):
    request.getfixturevalue("media_root")
    from shinsa.review.actions import do_sync_queues

    do_sync_queues(actor="system")
    clip = make_clip(tmp_path)
    made = []
    for number in range(3):
        version = make_version(f"film-{number + 1}")
        add_media(version, tmp_path / f"media-{number}", clip)
        made.append(version)
    return made


def _sign_in(browser_page, username: str, language: str) -> None:
    from playwright.sync_api import expect

    browser_page.goto("/login/?next=/review/")
    browser_page.keyboard.type(username)  # the username field has the focus
    browser_page.keyboard.press("Tab")
    browser_page.keyboard.type(PASSWORD)
    browser_page.keyboard.press("Enter")
    secret = totp_secret_for(username)
    if secret:  # seniors pass the second factor with a real code from their key
        pass_second_factor(browser_page, secret)
    expect(browser_page.locator("html")).to_have_attribute("lang", language)
    expect(browser_page).to_have_url(re.compile(r"/review/$"))


def _filter(browser_page) -> str:
    # The treatment the player set (the computed value eases over 0.2 s).
    return browser_page.evaluate("document.querySelector('[data-player-video]').style.filter") or "none"


@pytest.mark.parametrize("language", ["en", "ja"])
def test_a_reviewer_works_a_queue_with_the_keyboard_only(page, artifacts, cast, versions, language):  # noqa: F811
    from playwright.sync_api import expect

    rin = give_skills(cast.rin, territories=("JP",))
    do_update_user(actor=CAST_ACTOR, user=rin, preferred_language=language)
    first, second, third = (make_item(version) for version in versions)
    _sign_in(page, "rin", language)
    page.screenshot(path=artifacts / f"review-01-queues-{language}.png", full_page=True)

    # 1. Next item: graphic media arrive blurred, in greyscale and muted; no autoplay. The item is
    # swapped into the page (one request, no new document) and its URL is the address.
    page.evaluate("() => { window.queuesDocument = true; }")
    page.keyboard.press("n")
    expect(page).to_have_url(f"/review/items/{first.pk}/")
    expect(page.locator("[data-player-root][data-ready]")).to_have_count(1)
    assert page.evaluate("() => window.queuesDocument === true")
    video = page.locator("[data-player-video]")
    assert "blur(24px)" in _filter(page) and "grayscale(1)" in _filter(page)
    assert video.evaluate("v => v.muted && v.paused && !v.autoplay")
    expect(page.locator("[data-player-veil]")).to_be_visible()
    page.screenshot(path=artifacts / f"review-02-item-treated-{language}.png", full_page=True)

    # Progressive reveal, one step per v: blur fades, then greyscale goes.
    page.keyboard.press("v")
    assert "blur(12px)" in _filter(page) and "grayscale(1)" in _filter(page)
    page.keyboard.press("v")
    assert "blur" not in _filter(page) and "grayscale(1)" in _filter(page)
    page.keyboard.press("v")
    assert _filter(page) == "none"
    page.screenshot(path=artifacts / f"review-03-item-revealed-{language}.png", full_page=True)

    # Exposure from actual viewing: play about a second, pause; the player posts the time.
    page.keyboard.press("k")
    _wait_for(lambda: video.evaluate("v => v.currentTime > 1.0"))
    page.keyboard.press("k")
    _wait_for(lambda: video.evaluate("v => v.paused"))
    _wait_for(lambda: ExposureEntry.objects.filter(reviewer=rin, item=first).exists())
    entry = ExposureEntry.objects.get(reviewer=rin, item=first)
    assert 700 <= entry.viewed_ms <= 5000 and entry.weighted_ms == round(entry.viewed_ms * 1.5)

    # Seek to the first hit, mark in, step 12 frames, mark out: the range becomes evidence.
    page.keyboard.press("j")  # back to the start
    page.keyboard.press("]")
    assert video.evaluate("v => Math.round(v.currentTime * 1000)") == 1000
    page.keyboard.press("i")
    for _ in range(12):
        page.keyboard.press(".")
    page.keyboard.press("o")
    expect(page.locator("[data-ranges]")).to_have_value("00:00:01.000–00:00:01.500")
    page.keyboard.press("3")  # age gate
    page.keyboard.press("c")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Escape")
    expect(page.locator("[data-clause]")).to_have_value("VIO-1")
    expect(page.locator("[data-clause-text='VIO-1']")).to_be_visible()
    page.screenshot(path=artifacts / f"review-04-item-marked-{language}.png", full_page=True)
    page.keyboard.press("d")
    expect(page.locator(".message--success")).to_contain_text(TEXT[language]["recorded"])
    decision = Decision.objects.get(item=first)
    assert decision.action == "age_gate" and decision.clause_id == "VIO-1"
    assert [(e.kind, e.start_ms, e.end_ms) for e in decision.evidence.all()] == [("time_range", 1000, 1500)]

    # 2. Escalate with a reason.
    page.keyboard.press("n")
    expect(page).to_have_url(f"/review/items/{second.pk}/")
    page.keyboard.press("e")
    page.keyboard.type("Possibly news footage: needs a senior")
    page.keyboard.press("Enter")
    expect(page.locator(".message--success")).to_contain_text(TEXT[language]["escalated"])
    assert Escalation.objects.get(item=second).to_tier == 1

    # 3. Remove: high impact, so it waits for a second reviewer.
    page.keyboard.press("n")
    expect(page).to_have_url(f"/review/items/{third.pk}/")
    expect(page.locator("[data-player-root][data-ready]")).to_have_count(1)
    page.keyboard.press("]")
    page.keyboard.press("i")
    page.keyboard.press("l")
    page.keyboard.press("o")
    page.keyboard.press("5")
    page.keyboard.press("c")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Escape")
    page.keyboard.press("w")
    page.keyboard.type("Graphic killing shown in full")
    page.keyboard.press("Control+Enter")
    expect(page.locator(".message--success")).to_contain_text(TEXT[language]["pending"])
    removal = Decision.objects.get(item=third)
    assert removal.status == DecisionStatus.PENDING_CONFIRMATION and removal.evidence.count() == 1

    # The help overlay lists the console's keys.
    page.keyboard.press("?")
    expect(page.locator("#shortcuts")).to_contain_text("[")
    page.screenshot(path=artifacts / f"review-05-help-{language}.png")
    page.keyboard.press("Escape")


def _wait_for(condition, attempts: int = 100) -> None:
    """Poll (the page's strict CSP forbids Playwright's string-evaluating wait_for_function)."""
    import time

    for _ in range(attempts):
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


@pytest.mark.parametrize("language", ["en", "ja"])
def test_a_senior_confirms_rejects_and_decides_an_appeal(page, artifacts, cast, versions, language):  # noqa: F811
    from playwright.sync_api import expect

    rin = give_skills(cast.rin, territories=("JP",))
    sora = give_skills(cast.sora, languages={"ja": "N1", "en": "C2"})
    do_update_user(actor=CAST_ACTOR, user=sora, preferred_language=language)
    decisions = []
    for version, action in zip(versions, ("remove", "remove", "age_gate"), strict=True):
        item = make_item(version)
        assert do_claim_next_item(actor=rin).pk == item.pk
        decisions.append(
            do_decide(
                actor=rin,
                item=item,
                action=action,
                clause_id="VIO-1",
                evidence=[{"kind": "time_range", "start_ms": 1000, "end_ms": 1900}],
                source="screening",
                automated_detection=True,
            )
        )
    confirmed, rejected, appealed = decisions
    appeal = do_open_appeal(actor="system", decision=appealed, reason="Educational context")

    _sign_in(page, "sora", language)
    page.goto("/review/confirmations/")
    expect(page.locator("[data-pending]")).to_have_count(2)
    page.screenshot(path=artifacts / f"review-06-confirmations-{language}.png", full_page=True)
    page.locator(f"[data-pending='{confirmed.pk}'] [data-confirm]").focus()
    page.keyboard.press("Enter")
    expect(page.locator("[data-pending]")).to_have_count(1)
    page.locator(f"[data-pending='{rejected.pk}'] [data-reject-note]").focus()
    page.keyboard.type("The scene is not graphic enough for a removal")
    page.keyboard.press("Enter")
    expect(page.locator("[data-none-pending]")).to_be_visible()
    assert Decision.objects.get(pk=confirmed.pk).status == DecisionStatus.FINAL
    assert Decision.objects.get(pk=rejected.pk).status == DecisionStatus.REJECTED
    assert WorkItem.objects.get(pk=rejected.item_id).status == ItemStatus.OPEN

    page.goto("/review/")
    page.keyboard.press("a")
    expect(page).to_have_url(f"/review/items/{appeal.item_id}/")
    expect(page.locator("[data-appeal]")).to_contain_text("Educational context")
    page.screenshot(path=artifacts / f"review-07-appeal-{language}.png", full_page=True)
    page.keyboard.press("2")  # overturned
    page.keyboard.press("d")
    expect(page).to_have_url(re.compile(r"/review/$"))
    assert Appeal.objects.get(pk=appeal.pk).outcome == "overturned"
    assert Appeal.objects.get(pk=appeal.pk).decided_by_id == sora.pk
    assert Decision.objects.get(pk=appealed.pk).status == DecisionStatus.OVERTURNED


@pytest.mark.parametrize("language", ["en", "ja"])
def test_a_reviewer_picks_subtitle_cues_as_evidence(page, artifacts, cast, versions, language):  # noqa: F811
    from playwright.sync_api import expect

    from shinsa.catalog.models import AssetVersion

    rin = give_skills(cast.rin, territories=("JP",))
    do_update_user(actor=CAST_ACTOR, user=rin, preferred_language=language)
    item = make_item(versions[0])
    ja, en = (
        AssetVersion.objects.get(asset__title_version=versions[0], asset__language=code)
        for code in ("ja", "en")
    )
    _sign_in(page, "rin", language)
    page.keyboard.press("n")
    expect(page).to_have_url(f"/review/items/{item.pk}/")
    expect(page.locator("[data-player-root][data-ready]")).to_have_count(1)

    # u: the cue at the playhead (the first); arrows move; p adds the focused cue, again removes it.
    focused = page.locator("[data-cue]:focus")
    page.keyboard.press("u")
    expect(focused).to_have_attribute("data-cue", f"{ja.pk}:0")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("p")  # ja #2 お前を殺してやる！
    page.keyboard.press("ArrowRight")
    expect(focused).to_have_attribute("data-cue", f"{en.pk}:1")  # the same time in English
    page.keyboard.press("ArrowDown")
    page.keyboard.press("p")  # en #3 Run.
    page.keyboard.press("ArrowUp")
    page.keyboard.press("p")  # en #2 I will kill you!
    listed = page.locator("[data-cue-list] [data-cue-item]")
    expect(listed).to_have_count(3)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("p")  # picked already: removed
    expect(listed).to_have_count(2)
    expect(listed.nth(0)).to_contain_text("ja #2 · 00:00:01.000–00:00:01.900")
    expect(listed.nth(0)).to_contain_text("お前を殺してやる！")
    expect(listed.nth(1)).to_contain_text("I will kill you!")
    expect(page.locator(".cue--picked")).to_have_count(2)
    page.keyboard.press("3")  # age gate
    page.keyboard.press("c")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Escape")
    page.locator("[data-cue-evidence]").scroll_into_view_if_needed()
    page.screenshot(path=artifacts / f"review-08-cue-evidence-{language}.png", full_page=True)
    page.keyboard.press("d")
    expect(page.locator(".message--success")).to_contain_text(TEXT[language]["recorded"])
    stored = Decision.objects.get(item=item).evidence.order_by("pk")
    assert [(e.kind, e.asset_version_id, e.cue_index, e.start_ms, e.end_ms, e.note) for e in stored] == [
        ("subtitle_cue", ja.pk, 1, 1000, 1900, "お前を殺してやる！"),
        ("subtitle_cue", en.pk, 1, 1000, 1900, "I will kill you!"),
    ]

    # The help overlay lists the cue keys.
    page.keyboard.press("?")
    expect(page.locator("#shortcuts")).to_contain_text(
        "フォーカス中のキューを証拠に追加" if language == "ja" else "Add the focused cue to the evidence"
    )
    page.keyboard.press("Escape")
