"""Decisions: clauses, evidence, availability, four-eyes, escalation, appeals."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from shinsa.accounts.errors import MissingPermission
from shinsa.review.actions import (
    do_claim_next_item,
    do_confirm_decision,
    do_decide,
    do_decide_appeal,
    do_open_appeal,
    do_upsert_item,
)
from shinsa.review.errors import ReviewError
from shinsa.review.models import (
    Confirmation,
    Decision,
    DecisionStatus,
    Escalation,
    Evidence,
    ItemStatus,
    WorkItem,
)
from tests.review.conftest import windows

CUT = [{"kind": "time_range", "start_ms": 61_000, "end_ms": 64_500}, {"kind": "note", "note": "slur"}]


def claimed(team, version, area="hate", who=None):
    do_upsert_item(actor="system", title_version=version, policy_area=area)
    return do_claim_next_item(actor=who or team.rin)


def decide(team, item, action="restrict", territories=("JP",), who=None, **options):
    fields = {
        "clause_id": "HAT-1",
        "evidence": CUT,
        "source": "customer_report",
        "automated_detection": False,
    }
    return do_decide(
        actor=who or team.rin, item=item, action=action, territories=territories, **(fields | options)
    )


def test_it_records_an_approval_with_its_clause_version(team, version, audit_log):
    log = audit_log()
    item = claimed(team, version)
    decision = decide(team, item, action="approve", territories=(), evidence=())
    assert decision.status == DecisionStatus.FINAL
    assert decision.clause_version and decision.policy_version
    assert WorkItem.objects.get(pk=item.pk).status == ItemStatus.DECIDED
    assert windows(version)[1] == ("JP", "2020-01-01", None)
    assert log.verbs()[-1] == "review.decision.made"


def test_it_restricts_availability_in_the_territories_only(team, version):
    before = windows(version)
    decision = decide(team, claimed(team, version), territories=("jp",))
    today = timezone.now().date().isoformat()
    assert decision.status == DecisionStatus.FINAL and decision.territories == ["JP"]
    assert windows(version) == [before[0], ("JP", "2020-01-01", today), before[2]]
    assert Evidence.objects.filter(decision=decision).count() == 2


def test_it_reports_every_problem_of_a_decision_and_stores_nothing(team, version):
    item = claimed(team, version)
    with pytest.raises(ReviewError) as refused:
        decide(
            team,
            item,
            action="edit_request",
            clause_id="HAT-99",
            territories=("XX",),
            evidence=[{"kind": "time_range", "start_ms": 5, "end_ms": 5}],
            source="rumour",
        )
    assert len(refused.value.messages) == 4
    assert not Decision.objects.exists()
    assert WorkItem.objects.get(pk=item.pk).status == ItemStatus.CLAIMED


def test_it_refuses_a_decision_on_an_item_not_held(team, version):
    item = claimed(team, version)
    with pytest.raises(ReviewError):
        decide(team, item, who=team.sora)
    with pytest.raises(MissingPermission):
        decide(team, item, who=team.olive)


def test_it_keeps_high_impact_decisions_pending_until_someone_else_confirms(team, version, audit_log):
    before = windows(version)
    decision = decide(team, claimed(team, version), action="remove", territories=())
    assert decision.status == DecisionStatus.PENDING_CONFIRMATION
    assert decision.territories == ["GB", "JP", "US"]
    assert windows(version) == before
    with pytest.raises(MissingPermission):
        do_confirm_decision(actor=team.rin, decision=decision)  # a reviewer cannot confirm
    log = audit_log()
    confirmed = do_confirm_decision(actor=team.sora, decision=decision)
    assert confirmed.status == DecisionStatus.FINAL
    today = timezone.now().date().isoformat()
    assert windows(version) == [
        ("JP", "2020-01-01", today),
        ("US", "2020-01-01", today),
    ]  # GB not begun: withdrawn
    assert log.verbs() == ["review.decision.confirmed"]
    with pytest.raises(ReviewError):
        do_confirm_decision(actor=team.sora, decision=decision)


def test_it_refuses_the_decider_as_confirmer(team, version):
    # sora may confirm, but not sora's own decision.
    decision = decide(team, claimed(team, version, who=team.sora), who=team.sora, source="legal_order")
    assert decision.high_impact
    with pytest.raises(ReviewError):
        do_confirm_decision(actor=team.sora, decision=decision)
    with pytest.raises(MissingPermission):
        do_confirm_decision(actor=team.olive, decision=decision)


@pytest.mark.db_sensitive
def test_it_refuses_the_decider_as_confirmer_in_the_database(team, version):
    decision = decide(team, claimed(team, version), action="remove", territories=())
    with pytest.raises(IntegrityError), transaction.atomic():
        Confirmation.objects.create(decision=decision, decider=team.rin, confirmer=team.rin)


def test_it_treats_a_restriction_everywhere_as_high_impact(team, version):
    decision = decide(team, claimed(team, version), territories=("JP", "US", "GB"))
    assert decision.status == DecisionStatus.PENDING_CONFIRMATION


def test_it_escalates_through_the_tiers(team, version):
    item = claimed(team, version)
    decide(
        team, item, action="escalate", territories=(), evidence=(), note="political satire: needs a senior"
    )
    escalation = Escalation.objects.get(item=item)
    assert (escalation.from_tier, escalation.to_tier) == (0, 1)
    assert escalation.due_at > timezone.now()
    assert do_claim_next_item(actor=team.rin) is None  # beyond a reviewer's tier
    assert do_claim_next_item(actor=team.sora).pk == item.pk
    with pytest.raises(ReviewError):
        decide(team, WorkItem.objects.get(pk=item.pk), who=team.sora, action="escalate", evidence=(), note="")


def test_it_reopens_a_decision_on_appeal_and_an_overturn_restores_availability(team, version, audit_log):
    before = windows(version)
    decision = decide(team, claimed(team, version), territories=("JP", "US"))
    assert windows(version) != before
    appeal = do_open_appeal(actor="system", decision=decision, reason="the scene is a documentary quote")
    with pytest.raises(ReviewError):
        do_open_appeal(actor="system", decision=decision, reason="again")
    assert do_claim_next_item(actor=team.rin, kind="appeal") is None  # never the original reviewer
    with pytest.raises(ReviewError):
        do_decide_appeal(actor=team.rin, appeal=appeal, outcome="overturned")
    assert do_claim_next_item(actor=team.sora, kind="appeal").pk == appeal.item_id
    log = audit_log()
    decided = do_decide_appeal(
        actor=team.sora, appeal=appeal, outcome="overturned", note="context makes it fine"
    )
    assert decided.outcome == "overturned"
    assert Decision.objects.get(pk=decision.pk).status == DecisionStatus.OVERTURNED
    assert windows(version) == before
    assert log.verbs() == ["review.appeal.decided"]
    with pytest.raises(ReviewError):
        do_decide_appeal(actor=team.sora, appeal=appeal, outcome="upheld")
    assert windows(version) == before  # restoring is not repeated


def test_it_keeps_availability_ended_when_an_appeal_is_upheld(team, version):
    decision = decide(team, claimed(team, version))
    after = windows(version)
    appeal = do_open_appeal(actor="system", decision=decision, reason="please look again")
    do_claim_next_item(actor=team.sora, kind="appeal")
    do_decide_appeal(actor=team.sora, appeal=appeal, outcome="upheld")
    assert windows(version) == after
    assert Decision.objects.get(pk=decision.pk).status == DecisionStatus.FINAL


@pytest.mark.db_sensitive
def test_it_refuses_the_original_reviewer_deciding_the_appeal_in_the_database(team, version):
    decision = decide(team, claimed(team, version))
    appeal = do_open_appeal(actor="system", decision=decision, reason="please look again")
    appeal.outcome, appeal.decided_by, appeal.decided_at = "upheld", team.rin, timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        appeal.save()


def test_it_refuses_the_outsider_appeals(team, version):
    decision = decide(team, claimed(team, version))
    with pytest.raises(MissingPermission):
        do_open_appeal(actor=team.olive, decision=decision, reason="x")
