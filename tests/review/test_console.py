"""The review console through the test client, in both languages: queues, next item, the item page,
decisions with evidence, skip/release, exposure, four-eyes confirm/reject, appeals, legal orders."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from shinsa.accounts.actions import do_update_wellness_settings
from shinsa.accounts.roles import Role
from shinsa.review.actions import do_claim_next_item, do_decide, do_open_appeal
from shinsa.review.models import (
    Appeal,
    Confirmation,
    Decision,
    DecisionStatus,
    ExposureEntry,
    ItemStatus,
    LegalOrder,
    WorkItem,
)
from tests.cast import CAST_ACTOR, make_person
from tests.catalog.conftest import media_root  # noqa: F401 - shared fixture
from tests.review.conftest import give_skills, make_version
from tests.review.console_world import add_media, make_item
from tests.web.page_checks import check_page

pytestmark = [pytest.mark.django_db, pytest.mark.media]


def _client(user, language: str = "en") -> Client:
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


def _ok(response, language: str) -> str:
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    assert check_page(html, language=language) == []
    return html


@pytest.fixture
def world(team, media_root, tmp_path):  # noqa: F811
    version = make_version()
    media = add_media(version, tmp_path / "media")
    return version, media


@pytest.mark.parametrize("language", ["en", "ja"])
def test_a_reviewer_claims_views_and_decides_with_evidence(team, world, language):
    version, media = world
    item = make_item(version)
    rin = _client(team.rin, language)
    queues = _ok(rin.get("/review/"), language)
    assert 'data-queue="graphic_violence_ja"' in queues
    assert ("次の項目" if language == "ja" else "Next item") in queues

    claimed = rin.post("/review/next")
    assert claimed.status_code == 302 and claimed.url == f"/review/items/{item.pk}/"
    page = _ok(rin.get(claimed.url), language)
    # Player: real frame timing, scene cuts and the signal and subtitle hits on the timeline; treated.
    config = re.search(r'data-config="([^"]+)"', page).group(1)
    assert "&quot;rate&quot;:[24,1]" in config and "&quot;cuts&quot;:[1000,2000]" in config
    assert "&quot;kind&quot;:&quot;subtitle&quot;" in config and "&quot;blur&quot;:true" in config
    assert "player--treated" in page and "autoplay" not in page
    # Subtitles side by side with the matched terms highlighted, clickable to seek.
    assert '<mark class="term">殺してやる</mark>' in page and '<mark class="term">kill you</mark>' in page
    assert 'data-seek="1000"' in page
    # The policy text of the area's clauses.
    assert 'data-clause-text="VIO-1"' in page

    decided = rin.post(
        f"/review/items/{item.pk}/decide",
        {
            "action": "age_gate",
            "clause": "VIO-2.1",
            "ranges": "00:00:01.000–00:00:01.900, 2000-2500",
            "asset": str(media.video.asset_id),
            "note": "threat",
            "source": "screening",
        },
    )
    assert decided.status_code == 302 and decided.url == "/review/"
    decision = Decision.objects.get()
    assert decision.status == DecisionStatus.FINAL and decision.automated_detection
    assert sorted((e.start_ms, e.end_ms) for e in decision.evidence.all()) == [(1000, 1900), (2000, 2500)]
    assert WorkItem.objects.get(pk=item.pk).status == ItemStatus.DECIDED


@pytest.mark.parametrize("language", ["en", "ja"])
def test_next_item_answers_with_the_item_page_when_the_console_asks(team, world, language):
    """The console's script asks for the page itself (no redirect round trip); the claim and the view
    are audited exactly as through the redirect, and nothing left still redirects with its message."""
    from shinsa.audit.models import AuditEvent

    version, _media = world
    item = make_item(version)
    rin = _client(team.rin, language)
    answered = rin.post("/review/next", headers={"X-Shinsa-Swap": "1"})
    assert answered["X-Shinsa-Swap"] == f"/review/items/{item.pk}/"
    page = _ok(answered, language)
    assert f'data-item="{item.pk}"' in page and "data-player-root" in page
    verbs = list(AuditEvent.objects.filter(object_id=str(item.pk)).values_list("verb", flat=True))
    assert verbs.count("review.item.claimed") == 1 and verbs.count("review.item.viewed") == 1
    assert WorkItem.objects.get(pk=item.pk).claimed_by_id == team.rin.pk

    empty = rin.post("/review/next", headers={"X-Shinsa-Swap": "1"})
    assert empty.status_code == 302 and empty.url == "/review/" and "X-Shinsa-Swap" not in empty
    left = _ok(rin.get(empty.url), language)
    nothing_left = {"ja": "担当できる項目はもうありません", "en": "Nothing left for you"}[language]
    assert nothing_left in left


@pytest.mark.parametrize("language", ["en", "ja"])
def test_bad_evidence_is_refused_in_the_readers_language_and_nothing_is_stored(team, world, language):
    version, _media = world
    item = make_item(version)
    rin = _client(team.rin, language)
    rin.post("/review/next")
    refused = rin.post(
        f"/review/items/{item.pk}/decide",
        {"action": "edit_request", "clause": "VIO-1", "ranges": "5000-1000"},
    )
    assert refused.status_code == 422
    html = refused.content.decode()
    expected = (
        "終了（1000 ms）" if language == "ja" else "the end (1000 ms) must come after the start (5000 ms)"
    )
    assert expected in html
    assert not Decision.objects.exists()
    assert WorkItem.objects.get(pk=item.pk).status == ItemStatus.CLAIMED


@pytest.mark.parametrize("language", ["en", "ja"])
def test_picked_subtitle_cues_are_stored_as_evidence_and_shown_in_the_history(team, world, language):
    version, media = world
    item = make_item(version)
    later = make_item(version, area="hate")  # the same title version, decided afterwards
    rin = _client(team.rin, language)
    rin.post("/review/next")
    page = _ok(rin.get(f"/review/items/{item.pk}/"), language)
    assert f'data-cue="{media.ja.pk}:1"' in page and f'data-cue="{media.en.pk}:1"' in page
    decided = rin.post(
        f"/review/items/{item.pk}/decide",
        {"action": "age_gate", "clause": "VIO-1", "cue": [f"{media.ja.pk}:1", f"{media.en.pk}:2"]},
    )
    assert decided.status_code == 302, decided.content.decode()[:2000]
    rows = Decision.objects.get(item=item).evidence.order_by("pk")
    assert [
        (e.kind, e.asset_id, e.asset_version_id, e.cue_index, e.start_ms, e.end_ms, e.note) for e in rows
    ] == [
        ("subtitle_cue", media.ja.asset_id, media.ja.pk, 1, 1000, 1900, "お前を殺してやる！"),
        ("subtitle_cue", media.en.asset_id, media.en.pk, 2, 2000, 2900, "Run."),
    ]
    assert rin.post("/review/next").url == f"/review/items/{later.pk}/"
    history = _ok(rin.get(f"/review/items/{later.pk}/"), language)
    assert "<q>お前を殺してやる！</q>" in history and "00:00:01.000–00:00:01.900" in history


@pytest.mark.parametrize("language", ["en", "ja"])
def test_a_bad_cue_is_refused_in_the_readers_language_and_nothing_is_stored(team, world, tmp_path, language):
    version, media = world
    other = add_media(make_version("film-other"), tmp_path / "other")
    item = make_item(version)
    rin = _client(team.rin, language)
    rin.post("/review/next")
    expected = {
        f"{media.ja.pk}:3": "ja の字幕にキュー 4 はありません（キューは 3 個です）"
        if language == "ja"
        else "The ja subtitles have no cue 4 (they have 3).",
        f"{other.en.pk}:0": f"字幕ファイル {other.en.pk} はこのタイトルバージョンのものではありません"
        if language == "ja"
        else f"The subtitle file {other.en.pk} is not part of this title version.",
        f"{media.video.pk}:0": f"字幕ファイル {media.video.pk} はこのタイトルバージョンのものではありません"
        if language == "ja"
        else f"The subtitle file {media.video.pk} is not part of this title version.",
        "x:1": "字幕キュー「x:1」を読み取れません"
        if language == "ja"
        else "The subtitle cue “x:1” cannot be read.",
    }
    for pick, message in expected.items():
        refused = rin.post(
            f"/review/items/{item.pk}/decide",
            {"action": "age_gate", "clause": "VIO-1", "cue": [f"{media.en.pk}:1", pick]},
        )
        assert refused.status_code == 422
        html = refused.content.decode()
        assert message in html
        # The good pick stays in the evidence list, ready to submit again.
        assert f'<input type="hidden" name="cue" value="{media.en.pk}:1">' in html
    assert not Decision.objects.exists()
    assert WorkItem.objects.get(pk=item.pk).status == ItemStatus.CLAIMED


def test_only_the_holder_opens_an_item(team, world):
    version, _media = world
    item = make_item(version)
    do_claim_next_item(actor=team.rin, kind="review")
    assert _client(team.sora).get(f"/review/items/{item.pk}/").status_code == 404


def test_skip_release_heartbeat_and_escalate(team, world):
    version, _media = world
    item = make_item(version)
    rin = _client(team.rin)
    rin.post("/review/next")
    assert rin.post(f"/review/items/{item.pk}/heartbeat").json()["lease_expires_at"]
    assert rin.post(f"/review/items/{item.pk}/skip", {"reason": ""}).status_code == 422
    assert rin.post(f"/review/items/{item.pk}/release").status_code == 302
    assert WorkItem.objects.get(pk=item.pk).status == ItemStatus.OPEN
    rin.post("/review/next")
    escalated = rin.post(
        f"/review/items/{item.pk}/decide", {"escalate": "1", "clause": "VIO-1", "note": "needs a senior"}
    )
    assert escalated.status_code == 302
    assert WorkItem.objects.get(pk=item.pk).escalation_tier == 1
    assert rin.post("/review/next").url == "/review/"  # tier 1 is for seniors
    assert _client(team.sora).post("/review/next").url == f"/review/items/{item.pk}/"


def test_exposure_is_recorded_and_a_break_suggested_when_the_budget_is_reached(team, world):
    version, _media = world
    item = make_item(version)
    do_update_wellness_settings(actor=CAST_ACTOR, user=team.rin, daily_exposure_budget_minutes=1)
    rin = _client(team.rin)
    rin.post("/review/next")
    answer = rin.post(f"/review/items/{item.pk}/exposure", {"viewed_ms": "30000"}).json()
    assert answer["budget_reached"] is False and answer["recorded_ms"] == 45000  # violence_gore × 1.5
    answer = rin.post(f"/review/items/{item.pk}/exposure", {"viewed_ms": "20000"}).json()
    assert answer["budget_reached"] is True
    assert rin.post(f"/review/items/{item.pk}/exposure", {"viewed_ms": "-5"}).status_code == 422
    assert ExposureEntry.objects.filter(reviewer=team.rin).count() == 2
    assert "data-break" in rin.get("/review/").content.decode()

    overview = _ok(_client(team.mei).get("/review/exposure/"), "en")
    assert 'data-person="rin"' in overview and "75" not in overview.split("data-person")[0]
    assert version.title.original_title not in overview  # no content on the manager's page
    assert _client(team.rin).get("/review/exposure/").status_code == 403


@pytest.mark.parametrize("language", ["en", "ja"])
def test_a_removal_waits_and_a_senior_confirms_or_rejects(team, world, language):
    version, _media = world
    first = make_item(version)
    second = make_item(version, area="hate", ref="hit-2")
    rin = _client(team.rin, language)
    for item in (first, second):
        rin.post("/review/next")
        rin.post(
            f"/review/items/{item.pk}/decide",
            {"action": "remove", "clause": "VIO-1" if item == first else "HAT-1", "evidence_note": "gore"},
        )
    pending = list(Decision.objects.order_by("pk"))
    assert [d.status for d in pending] == [DecisionStatus.PENDING_CONFIRMATION] * 2
    assert rin.get("/review/confirmations/").status_code == 403  # not a senior
    sora = _client(team.sora, language)
    page = _ok(sora.get("/review/confirmations/"), language)
    assert f'data-pending="{pending[0].pk}"' in page and f'data-pending="{pending[1].pk}"' in page
    sora.post(f"/review/decisions/{pending[0].pk}/confirm")
    assert sora.post(f"/review/decisions/{pending[1].pk}/reject", {"note": ""}).status_code == 302
    assert Decision.objects.get(pk=pending[1].pk).status == DecisionStatus.PENDING_CONFIRMATION  # needs why
    sora.post(f"/review/decisions/{pending[1].pk}/reject", {"note": "not graphic enough"})
    assert Decision.objects.get(pk=pending[0].pk).status == DecisionStatus.FINAL
    assert Decision.objects.get(pk=pending[1].pk).status == DecisionStatus.REJECTED
    assert Confirmation.objects.get(decision=pending[1]).outcome == "rejected"
    assert WorkItem.objects.get(pk=second.pk).status == ItemStatus.OPEN  # back for a fresh decision


def test_an_appeal_is_decided_by_someone_else(team, world):
    version, _media = world
    item = make_item(version)
    do_claim_next_item(actor=team.rin)
    decision = do_decide(
        actor=team.rin,
        item=item,
        action="age_gate",
        clause_id="VIO-1",
        evidence=[{"kind": "note", "note": "x"}],
        source="screening",
        automated_detection=True,
    )
    appeal = do_open_appeal(actor="system", decision=decision, reason="It is a documentary")
    rin = _client(team.rin)
    assert rin.post("/review/next", {"kind": "appeal"}).url == "/review/"  # never the original reviewer
    sora = _client(team.sora)
    opened = sora.post("/review/next", {"kind": "appeal"})
    assert opened.url == f"/review/items/{appeal.item_id}/"
    page = _ok(sora.get(opened.url), "en")
    assert "It is a documentary" in page and "data-appeal-form" in page
    sora.post(f"/review/items/{appeal.item_id}/appeal", {"outcome": "overturned", "note": "context"})
    assert Appeal.objects.get().outcome == "overturned"
    assert Decision.objects.get(pk=decision.pk).status == DecisionStatus.OVERTURNED


def test_legal_orders_go_to_the_legal_queue_and_need_four_eyes(team, world):
    version, _media = world
    lex = give_skills(make_person("lex", Role.LEGAL))
    deadline = (timezone.now() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    order = {
        "authority": "Tokyo District Court",
        "reference": "2026(ヨ)123",
        "territory": "JP",
        "deadline": deadline,
        "title": version.title.external_id,
        "version": version.label,
        "area": "privacy",
    }
    assert _client(team.rin).post("/review/legal/", order).status_code == 403
    mei = _client(team.mei)
    assert mei.post("/review/legal/", order).status_code == 302
    again = mei.post("/review/legal/", order)
    assert again.status_code == 422 and "already recorded" in again.content.decode()
    item = LegalOrder.objects.get().item
    assert item.legal_only and item.due_at <= timezone.now() + datetime.timedelta(days=2)
    assert do_claim_next_item(actor=team.rin) is None
    assert do_claim_next_item(actor=team.sora) is None
    assert do_claim_next_item(actor=lex).pk == item.pk
    decision = do_decide(
        actor=lex,
        item=item,
        action="restrict",
        territories=["JP"],
        clause_id="PRV-1",
        evidence=[{"kind": "note", "note": "court order"}],
        source="proactive",
        automated_detection=False,
    )
    assert decision.source == "legal_order" and decision.status == DecisionStatus.PENDING_CONFIRMATION


def test_pages_cost_the_same_queries_with_a_large_backlog(team, world, django_assert_num_queries):
    version, _media = world
    item = make_item(version)
    rin = _client(team.rin)
    rin.post("/review/next")
    rin.get(f"/review/items/{item.pk}/")  # warm the per-file caches

    def counts() -> tuple[int, ...]:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        found = []
        for path in ("/review/", f"/review/items/{item.pk}/", "/review/confirmations/"):
            client = rin if path != "/review/confirmations/" else _client(team.sora)
            with CaptureQueriesContext(connection) as captured:
                assert client.get(path).status_code == 200
            found.append(len(captured))
        return tuple(found)

    small = counts()
    for number in range(300):
        make_version(f"backlog-{number}")
    from shinsa.catalog.models import TitleVersion

    for other in TitleVersion.objects.filter(title__external_id__startswith="backlog-"):
        make_item(other)
    assert counts() == small
    queues, item_page, confirmations = small
    with django_assert_num_queries(queues):
        rin.get("/review/")
    # The queues page reads the onboarding gates (shinsa.review.gates); the senior's confirmations page
    # reads their verified second-factor device: one query each.
    assert (queues, item_page, confirmations) == (10, 19, 5)
