"""The quality pages through Django's test client: blind audits, disputes, XLSX, onboarding, calibration."""

from __future__ import annotations

import datetime
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from shinsa.quality.actions import (
    do_answer_audit,
    do_claim_audit_item,
    do_classify_audit,
    do_create_audit_plan,
    do_create_calibration,
    do_create_gold,
    do_create_onboarding_set,
)
from shinsa.quality.models import AuditSample, CalibrationAnswer, SampleStatus
from shinsa.review.models import Queue
from tests.quality.conftest import decided, make_version

TODAY = datetime.date.today()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def audited_world(team, kai):
    decided(team.rin, "a-1", action="restrict", area="hate")
    do_create_audit_plan(actor=kai, name="Nov", decided_from=TODAY, decided_to=TODAY, margin=0.3)
    return AuditSample.objects.get()


def test_the_auditor_does_not_see_the_original_decision_until_answering(team, kai, audited_world):
    client = client_for(kai)
    response = client.post("/quality/audits/next")
    assert response.status_code == 302 and response["Location"] == f"/quality/audits/{audited_world.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert (
        "Your answer (blind)" in page
        and "Original decision" not in page
        and "data-original-action" not in page
    )
    response = client.post(
        f"/quality/audits/{audited_world.pk}/answer",
        {"action": "approve", "clause": "HAT-1", "start_ms": "", "end_ms": "", "note": ""},
    )
    page = client.get(f"/quality/audits/{audited_world.pk}/").content.decode()
    assert "Original decision" in page and "restrict in territories" in page
    client.post(
        f"/quality/audits/{audited_world.pk}/classify",
        {"error_classes": ["false_positive"], "note": '=HYPERLINK("x")'},
    )
    assert AuditSample.objects.get().error_classes == ["false_positive"]
    # The reviewer disputes on their own page; a senior decides.
    rin = client_for(team.rin)
    assert "Audits of my decisions" in rin.get("/quality/").content.decode()
    rin.post(f"/quality/audits/{audited_world.pk}/dispute", {"reason": "JP only was right"})
    assert AuditSample.objects.get().status == SampleStatus.DISPUTED
    client_for(team.sora).post(
        f"/quality/audits/{audited_world.pk}/adjudicate", {"outcome": "upheld", "note": "the cut was fine"}
    )
    assert AuditSample.objects.get().status == SampleStatus.ADJUDICATED
    workbook = client_for(kai).get("/quality/scorecards.xlsx")
    sheet = load_workbook(io.BytesIO(workbook.content)).worksheets[0]
    assert sheet["A2"].value == "rin" and sheet["C2"].value == 1
    assert "Wilson" in client_for(kai).get("/quality/scorecards/").content.decode()


def test_an_unrelated_reviewer_cannot_open_someone_elses_audit(team, kai, audited_world, cast):
    do_claim_audit_item(actor=kai)
    do_answer_audit(actor=kai, sample=audited_world, action="approve", clause_id="HAT-1")
    do_classify_audit(actor=kai, sample=audited_world, error_classes=[])
    assert client_for(team.sora).get(f"/quality/audits/{audited_world.pk}/").status_code == 404
    assert client_for(team.rin).get(f"/quality/audits/{audited_world.pk}/").status_code == 200
    assert client_for(cast.olive).get(f"/quality/audits/{audited_world.pk}/").status_code == 403


def test_bad_answers_come_back_as_messages_in_japanese(team, kai, audited_world):
    client = client_for(kai)
    client.post("/i18n/setlang/", {"language": "ja"})
    client.post("/quality/audits/next")
    response = client.post(
        f"/quality/audits/{audited_world.pk}/answer",
        {"action": "approve", "clause": "HAT-1", "start_ms": "5000", "end_ms": "1000"},
        follow=True,
    )
    page = response.content.decode()
    assert AuditSample.objects.get().status == SampleStatus.PENDING
    assert "時間範囲 1 は" in page


def test_onboarding_answers_are_scored_on_the_page(team, kai):
    gold = do_create_gold(
        actor=kai,
        title_version=make_version("g-1"),
        policy_area="violence",
        action="approve",
        clause_id="VIO-1",
        rationale="Fight choreography, no injury shown.",
    )
    onboarding = do_create_onboarding_set(
        actor=kai, queue=Queue.objects.get(pk="graphic_violence_global"), name="Basics", golds=[gold]
    )
    client = client_for(team.rin)
    response = client.post(
        f"/quality/onboarding/{onboarding.pk}/answer",
        {"gold": gold.pk, "action": "approve", "clause": "VIO-1"},
        follow=True,
    )
    assert "Correct: score 100%." in response.content.decode()


def test_calibration_answers_stay_hidden_until_the_reveal(team, yui):
    gold = do_create_gold(
        actor=yui,
        title_version=make_version("c-gold"),
        policy_area="violence",
        action="age_gate",
        clause_id="VIO-1",
        rationale="Blood on screen for six seconds.",
    )
    session = do_create_calibration(
        actor=yui,
        name="Cal",
        policy_area="violence",
        versions=[make_version("c-1")],
        golds=[gold],
        invitees=[team.rin, team.sora],
    )
    item = session.items.get(gold__isnull=True)
    client_for(team.rin).post(
        f"/quality/calibration/{session.pk}/answer",
        {
            "item": item.pk,
            f"i{item.pk}-action": "remove",
            f"i{item.pk}-clause": "VIO-1",
            f"i{item.pk}-start_ms": "1000",
            f"i{item.pk}-end_ms": "3000",
        },
    )
    assert CalibrationAnswer.objects.get().ranges == [[1000, 3000]]
    sora_page = client_for(team.sora).get(f"/quality/calibration/{session.pk}/").content.decode()
    assert "data-spread" not in sora_page and "remove ×" not in sora_page
    assert "Blood on screen" not in sora_page  # the expert answer of a gold item waits for the reveal too
    client_for(yui).post(f"/quality/calibration/{session.pk}/reveal")
    lead_page = client_for(yui).get(f"/quality/calibration/{session.pk}/").content.decode()
    assert "remove × 1" in lead_page and "Krippendorff" in lead_page
    assert "Blood on screen" in lead_page


def test_gold_with_rating_findings_asks_for_a_finding_on_the_onboarding_page(team, kai):
    gore = {"descriptor": "gore", "intensity": 3, "start_ms": 10_000, "end_ms": 20_000}
    gold = do_create_gold(
        actor=kai,
        title_version=make_version("g-2"),
        policy_area="maturity_rating",
        action="age_gate",
        clause_id="RAT-1",
        findings=[gore],
        rationale="Visible wounds: gore at 3.",
    )
    onboarding = do_create_onboarding_set(
        actor=kai, queue=Queue.objects.get(pk="maturity_ratings"), name="Ratings", golds=[gold]
    )
    client = client_for(team.rin)
    assert (
        "Rating finding: descriptor" in client.get(f"/quality/onboarding/{onboarding.pk}/").content.decode()
    )
    half = {"gold": gold.pk, "action": "age_gate", "clause": "RAT-1", "descriptor": "gore", "intensity": "3"}
    refused = client.post(f"/quality/onboarding/{onboarding.pk}/answer", half, follow=True).content.decode()
    assert "A rating finding needs a descriptor, an intensity, a start and an end." in refused
    full = half | {"finding_start_ms": "10000", "finding_end_ms": "20000"}
    page = client.post(f"/quality/onboarding/{onboarding.pk}/answer", full, follow=True).content.decode()
    assert "Correct: score 100%." in page and "gore 3 · 10000–20000 ms" in page
