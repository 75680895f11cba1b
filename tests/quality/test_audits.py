"""QA audits end to end through the actions: plan, routing, blind answer, findings, dispute, scorecards."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from shinsa.lib.spreadsheet import safe_cell
from shinsa.quality.actions import (
    do_adjudicate_audit,
    do_answer_audit,
    do_claim_audit_item,
    do_classify_audit,
    do_create_audit_plan,
    do_dispute_audit,
)
from shinsa.quality.errors import QualityError
from shinsa.quality.exports import scorecards_xlsx
from shinsa.quality.models import AuditSample, SampleStatus
from shinsa.quality.queries import scorecards
from shinsa.review.actions import do_claim_next_item
from shinsa.review.models import ItemStatus, WorkItem, WorkKind
from tests.quality.conftest import decided, give_skills

TODAY = datetime.date.today()


def plan(kai, **options):
    fields = {
        "name": "November",
        "decided_from": TODAY,
        "decided_to": TODAY,
        "margin": 0.3,
        "confidence": 0.9,
    }
    return do_create_audit_plan(actor=kai, **(fields | options))


@pytest.fixture
def decisions(team):
    made = [decided(team.rin, f"r-{i}") for i in range(3)]
    made.append(decided(team.rin, "r-auto", automated=True))
    made.append(decided(team.sora, "s-0", area="violence", action="restrict"))
    return made


def test_a_plan_samples_per_stratum_and_routes_audit_work_away_from_the_reviewer(
    team, kai, decisions, audit_log
):
    log = audit_log()
    audit_plan = plan(kai)
    strata = {(s["reviewer"], s["policy_area"], s["severity"]): s for s in audit_plan.strata}
    assert set(strata) == {("rin", "hate", "high"), ("sora", "violence", "high")}
    assert strata[("rin", "hate", "high")]["population"] == 4
    samples = list(AuditSample.objects.filter(plan=audit_plan))
    assert len(samples) == sum(s["sampled"] for s in audit_plan.strata) >= 2
    auto = next(s for s in samples if s.decision.automated_detection)  # disagreements are taken first
    assert "automation_disagreed" in auto.reasons
    for sample in samples:
        assert sample.item.kind == WorkKind.AUDIT and sample.item.excluded_reviewer_id == sample.reviewer_id
    # Reviewers are never handed audit work by the ordinary claim.
    assert do_claim_next_item(actor=team.rin) is None and do_claim_next_item(actor=team.sora) is None
    assert "quality.audit_plan.created" in log.verbs()
    # Everyone here is a new reviewer (joined today): their strata are doubled, so all was sampled, and a
    # decision already sampled is not sampled again.
    assert all("new_reviewer" in s["reasons"] for s in audit_plan.strata)
    with pytest.raises(QualityError) as refused:
        plan(kai, name="again")
    assert refused.value.messages == ("No final decision of that period is left to audit.",)


def test_an_audit_runs_blind_then_classified_disputed_and_adjudicated(team, kai, audit_log):
    decided(team.rin, "r-0")
    log = audit_log()
    plan(kai)
    sample = do_claim_audit_item(actor=kai)
    assert sample is not None and WorkItem.objects.get(pk=sample.item_id).claimed_by_id == kai.pk
    with pytest.raises(QualityError):
        do_classify_audit(actor=kai, sample=sample, error_classes=[])  # not before the blind answer
    answered = do_answer_audit(
        actor=kai,
        sample=sample,
        action="restrict",
        clause_id="HAT-1",
        ranges=[[1000, 2000]],
        note="slur at 0:01",
    )
    assert answered.status == SampleStatus.ANSWERED and answered.answer_ranges == [[1000, 2000]]
    assert WorkItem.objects.get(pk=sample.item_id).status == ItemStatus.DECIDED
    with pytest.raises(QualityError) as refused:
        do_classify_audit(actor=kai, sample=sample, error_classes=["false_negative", "made_up"])
    assert refused.value.messages == ("Unknown error class “made_up”.", "Say what the error was.")
    audited = do_classify_audit(
        actor=kai, sample=sample, error_classes=["false_negative"], note="missed the slur"
    )
    assert audited.counts_as_error
    with pytest.raises(QualityError):
        do_dispute_audit(actor=team.sora, sample=audited, reason="not mine")
    disputed = do_dispute_audit(actor=team.rin, sample=audited, reason="the word is reclaimed here")
    with pytest.raises(QualityError):
        do_adjudicate_audit(actor=team.sora, sample=disputed, outcome="upheld", note="")
    done = do_adjudicate_audit(actor=team.sora, sample=disputed, outcome="overturned", note="reclaimed usage")
    assert done.status == SampleStatus.ADJUDICATED and not done.counts_as_error
    assert scorecards().reviewers[0].errors == 0
    verbs = log.verbs()
    for verb in ("claimed", "answered", "classified", "disputed", "adjudicated"):
        assert f"quality.audit.{verb}" in verbs


def test_nobody_audits_their_own_decision(cast, team, kai):
    ada = give_skills(cast.ada)  # admin: reviews and audits
    decided(ada, "ada-1")
    audit_plan = plan(kai)
    sample = audit_plan.samples.get()
    assert do_claim_audit_item(actor=ada) is None  # her own decision is never offered to her
    assert do_claim_audit_item(actor=kai) == sample
    with pytest.raises(QualityError) as refused:
        do_answer_audit(actor=ada, sample=sample, action="approve", clause_id="HAT-1")
    assert "Nobody audits their own decisions." in refused.value.messages
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditSample.objects.filter(pk=sample.pk).update(auditor_id=sample.reviewer_id)


def test_scorecards_count_findings_with_wilson_intervals_and_export_safely(team, kai, decisions):
    plan(kai)
    results = []
    while (sample := do_claim_audit_item(actor=kai)) is not None:
        do_answer_audit(actor=kai, sample=sample, action="approve", clause_id="HAT-1")
        errors = ["wrong_policy"] if not results else []
        results.append(
            do_classify_audit(
                actor=kai, sample=sample, error_classes=errors, note="=cmd|' /C calc'!A0" if errors else ""
            )
        )
    cards = scorecards()
    total = sum(line.audited for line in cards.reviewers)
    assert total == len(results) and sum(line.errors for line in cards.reviewers) == 1
    line = next(line for line in cards.reviewers if line.errors)
    low, high = line.interval
    assert 0 <= low < line.accuracy <= high <= 1
    assert cards.weeks and cards.weeks[0].key.startswith(str(timezone.now().isocalendar()[0]))
    assert [line.key.split()[0] for line in cards.reviewer_weeks] == [line.key for line in cards.reviewers]
    workbook = scorecards_xlsx(cards)
    assert workbook[:2] == b"PK"
    assert safe_cell("=SUM(A1)") == "'=SUM(A1)" and safe_cell("@x") == "'@x" and safe_cell(3) == 3


def test_a_bad_plan_is_refused_with_every_problem(kai, decisions):
    with pytest.raises(QualityError) as refused:
        plan(kai, name=" ", decided_from=TODAY, decided_to=TODAY - datetime.timedelta(days=1), margin=0.9)
    assert len(refused.value.messages) == 3
    with pytest.raises(QualityError):
        plan(
            kai,
            decided_from=TODAY - datetime.timedelta(days=9),
            decided_to=TODAY - datetime.timedelta(days=8),
        )
