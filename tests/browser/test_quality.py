"""Quality end to end in a real browser: a blind audit with a dispute, a gold answer scored, and a
calibration session through its three phases (partly in Japanese)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from shinsa.accounts.roles import Role
from shinsa.catalog.models import Availability, Title, TitleVersion
from shinsa.quality.actions import do_create_onboarding_set
from shinsa.quality.models import AuditSample, GoldAnswer, GoldItem
from shinsa.review.actions import do_claim_next_item, do_decide, do_sync_queues, do_upsert_item
from shinsa.review.models import Queue
from tests.browser.conftest import sign_in as browser_sign_in
from tests.browser.conftest import totp_secret_for
from tests.cast import PASSWORD, make_person
from tests.review.conftest import give_skills

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def film(external_id: str, name: str) -> TitleVersion:
    title = Title.objects.create(
        external_id=external_id, kind="film", original_title=name, original_language="ja"
    )
    version = TitleVersion.objects.create(title=title, label="theatrical")
    Availability.objects.create(title_version=version, territory="JP", starts_on=datetime.date(2020, 1, 1))
    return version


def sign_in(page, username: str) -> None:
    page.context.clear_cookies()
    # Senior reviewers pass the second factor with a real code from their key.
    browser_sign_in(page, username, PASSWORD, totp_secret=totp_secret_for(username))
    page.get_by_role("button", name=re.compile("Sign out|ログアウト")).wait_for()


def answer(scope, *, decision: str, clause: str, start: str = "", end: str = "") -> None:
    scope.get_by_label("Decision").select_option(decision)
    scope.get_by_label("Clause").select_option(clause)
    if start:
        scope.get_by_label(re.compile(r"^Start \(ms\)")).fill(start)
        scope.get_by_label(re.compile(r"^End \(ms\)")).fill(end)


@pytest.fixture
def people(db):
    do_sync_queues(actor="system")
    return {
        "rin": give_skills(make_person("rin", Role.REVIEWER)),
        "sora": give_skills(make_person("sora", Role.SENIOR_REVIEWER)),
        "kai": give_skills(make_person("kai", Role.QA_AUDITOR)),
        "yui": give_skills(make_person("yui", Role.CALIBRATION_LEAD)),
    }


def test_an_audit_runs_blind_and_the_reviewer_disputes_it(page, artifacts, people):
    from playwright.sync_api import expect

    version = film("audit-film", "夜の港")
    do_upsert_item(actor="system", title_version=version, policy_area="violence")
    item = do_claim_next_item(actor=people["rin"])
    do_decide(
        actor=people["rin"],
        item=item,
        action="approve",
        clause_id="VIO-1",
        source="screening",
        automated_detection=True,
    )

    sign_in(page, "kai")
    page.get_by_role("link", name="Quality").click()
    page.get_by_role("link", name="Audit plans").click()
    page.get_by_label("Name").fill("November audit")
    page.get_by_role("button", name="Sample decisions").click()
    expect(page.get_by_text("Audit plan created: 1 decisions sampled.")).to_be_visible()
    expect(page.get_by_role("cell", name="automation disagreed")).to_be_visible()
    page.screenshot(path=artifacts / "quality-01-plan.png", full_page=True)

    page.get_by_role("link", name="Quality", exact=True).first.click()
    page.get_by_role("button", name="Take the next audit").click()
    expect(page.get_by_role("heading", name="Your answer (blind)")).to_be_visible()
    expect(page.get_by_role("heading", name="Original decision", exact=True)).to_have_count(0)
    page.screenshot(path=artifacts / "quality-02-blind.png", full_page=True)
    answer(page, decision="restrict", clause="VIO-1", start="12000", end="15000")
    page.get_by_label("Note").fill("Stabbing at 0:12 shown in close-up")
    page.get_by_role("button", name="Submit my answer").click()
    expect(page.get_by_role("heading", name="Original decision", exact=True)).to_be_visible()
    expect(page.locator("[data-original-action]")).to_have_text("approve")
    page.get_by_label("false negative").check()
    page.get_by_label("Finding").fill("The stabbing needs at least a restriction.")
    page.get_by_role("button", name="Finish the audit").click()
    expect(page.get_by_text("Audit finished.")).to_be_visible()
    page.screenshot(path=artifacts / "quality-03-classified.png", full_page=True)

    sign_in(page, "rin")
    page.goto("/quality/")
    page.get_by_role("table").get_by_role("link").first.click()
    page.get_by_label("Why the finding is wrong").fill("The close-up is a prop and cut away at once.")
    page.get_by_role("button", name="Send the dispute").click()
    expect(page.get_by_text("Dispute sent to a senior reviewer.")).to_be_visible()

    sign_in(page, "sora")
    page.goto("/quality/")
    page.get_by_role("region", name="Disputes to decide").get_by_role("link").first.click()
    page.get_by_label("audit finding upheld").check()
    page.get_by_label("Reason").fill("Still graphic on replay.")
    page.get_by_role("button", name="Decide", exact=True).click()
    expect(page.get_by_text("Dispute decided.")).to_be_visible()
    page.screenshot(path=artifacts / "quality-04-adjudicated.png", full_page=True)
    sample = AuditSample.objects.get()
    assert sample.status == "adjudicated" and sample.counts_as_error

    sign_in(page, "kai")
    page.goto("/quality/scorecards/")
    row = page.get_by_role("region", name="By reviewer", exact=True).get_by_role(
        "row", name=re.compile("rin")
    )
    expect(row).to_contain_text("0.0%")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download XLSX").click()
    assert download.value.suggested_filename.endswith(".xlsx")


def test_a_gold_answer_is_scored(page, artifacts, people):
    from playwright.sync_api import expect

    film("gold-film", "赤い橋")
    sign_in(page, "kai")
    page.goto("/quality/gold/")
    form = page.get_by_role("region", name="New gold item")
    form.get_by_label("Title version").select_option(label="赤い橋 · theatrical")
    form.get_by_label("Policy area").select_option("violence")
    answer(form, decision="restrict", clause="VIO-1", start="60000", end="65000")
    form.get_by_label("Rationale").fill("A killing shown in full at 1:00.")
    form.get_by_role("button", name="Add gold item").click()
    expect(page.get_by_text("Gold item added.")).to_be_visible()
    gold = GoldItem.objects.get()
    assert gold.expected_ranges == [[60000, 65000]]
    do_create_onboarding_set(
        actor=people["kai"],
        queue=Queue.objects.get(pk="graphic_violence_global"),
        name="Violence basics",
        golds=[gold],
    )
    newcomer = give_skills(make_person("nao", Role.REVIEWER))
    newcomer.date_joined = timezone.now() + datetime.timedelta(seconds=1)
    newcomer.save(update_fields=["date_joined"])

    sign_in(page, "nao")
    page.goto("/quality/")
    page.get_by_role("link", name="Violence basics").click()
    expect(page.locator("[data-progress]")).to_contain_text("0 of 1 answered")
    answer(page, decision="restrict", clause="VIO-1", start="61000", end="65000")
    page.get_by_role("button", name="Submit my answer").click()
    expect(page.get_by_text("Correct: score 95%.")).to_be_visible()
    expect(page.locator("[data-progress]")).to_contain_text("passed: the queue is open to you")
    page.screenshot(path=artifacts / "quality-05-gold-scored.png", full_page=True)
    assert GoldAnswer.objects.get().score == pytest.approx(0.95)


def test_a_calibration_session_runs_through_its_three_phases(page, artifacts, people):
    from playwright.sync_api import expect

    film("cal-a", "月の庭")
    film("cal-b", "雨の駅")

    sign_in(page, "yui")
    page.goto("/quality/calibration/")
    page.get_by_label("Name").fill("Violence calibration")
    page.get_by_role("combobox", name="Policy area").select_option("violence")
    page.get_by_label("月の庭 · theatrical").check()
    page.get_by_label("雨の駅 · theatrical").check()
    page.get_by_label("Rin").check()
    page.get_by_label("Sora").check()
    page.get_by_role("button", name="Create the session").click()
    expect(page.locator("[data-phase]")).to_have_text("1 · blind answers")
    session_url = page.url

    for who, decisions in (("rin", ("remove", "approve")), ("sora", ("remove", "age_gate"))):
        sign_in(page, who)
        if who == "sora":  # this reviewer works in Japanese
            page.get_by_role("button", name="日本語").click()
            expect(page.locator("html")).to_have_attribute("lang", "ja")
        page.goto(session_url)
        for position, decision in enumerate(decisions):
            section = page.locator("section[id^=item-]").nth(position)
            section.locator("select[name$=action]").select_option(decision)
            section.locator("select[name$=clause]").select_option("VIO-1")
            section.locator("button[type=submit]").click()
        expect(page.locator("[data-spread]")).to_have_count(0)  # blind: nobody sees the others yet
        if who == "sora":
            expect(page.get_by_text("回答のばらつき")).to_have_count(0)
            page.screenshot(path=artifacts / "quality-06-calibration-blind-ja.png", full_page=True)
            page.get_by_role("button", name="English").click()

    sign_in(page, "yui")
    page.goto(session_url)
    expect(page.get_by_text("2 reviewers have answered.")).to_be_visible()
    page.get_by_role("button", name="Reveal the answers (phase 2)").click()
    expect(page.locator("[data-phase]")).to_have_text("2 · reveal")
    statistics = page.locator("[data-statistics]").first
    expect(statistics).to_contain_text("Krippendorff's alpha")
    expect(statistics).to_contain_text("50.0%")  # percent agreement: 1 of 2 items
    expect(page.locator("[data-spread]").nth(1)).to_contain_text("approve × 1")
    expect(page.locator("[data-spread]").nth(1)).to_contain_text("age gate / rating change request × 1")
    page.screenshot(path=artifacts / "quality-07-calibration-reveal.png", full_page=True)

    page.get_by_role("button", name="Open the discussion (phase 3)").click()
    for position, decision in enumerate(("remove", "age_gate")):
        section = page.locator("section[id^=item-]").nth(position)
        section.locator("select[name$=action]").last.select_option(decision)
        section.locator("select[name$=clause]").last.select_option("VIO-1")
        section.get_by_label("Discussion notes").fill("Replayed together; the gore is explicit.")
        section.get_by_label("Rationale").fill("Explicit gore: VIO-1 applies.")
        section.get_by_role("button", name="Record the consensus").click()
        expect(page.get_by_text("Consensus recorded.")).to_be_visible()
    page.get_by_role("button", name="Close the session").click()
    expect(page.locator("[data-phase]")).to_have_text("closed")
    first = page.locator("section[id^=item-]").first
    first.get_by_role("button", name="Make it a gold item").click()
    expect(page.get_by_text("The consensus is now a gold item.")).to_be_visible()
    page.locator("section[id^=item-]").nth(1).get_by_role(
        "button", name="Make it a guideline example"
    ).click()
    expect(page.get_by_text("The consensus is now a guideline example.")).to_be_visible()
    page.screenshot(path=artifacts / "quality-08-calibration-closed.png", full_page=True)
    assert GoldItem.objects.get().rationale == "Explicit gore: VIO-1 applies."

    page.goto("/quality/calibration/")
    expect(page.get_by_role("row", name=re.compile("Violence calibration"))).to_contain_text("closed")
