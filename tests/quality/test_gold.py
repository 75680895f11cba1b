"""Golden sets: placement at a rate, scoring of live answers, no effect on the catalog, retirement,
onboarding gates."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from shinsa.accounts.roles import Role
from shinsa.quality.actions import (
    do_answer_onboarding,
    do_create_gold,
    do_create_onboarding_set,
    do_place_gold,
    operational_decisions,
)
from shinsa.quality.actions.gold import gold_target
from shinsa.quality.errors import QualityError
from shinsa.quality.models import GoldAnswer, GoldItem
from shinsa.review.actions import do_claim_next_item, do_decide, do_open_appeal, do_upsert_item
from shinsa.review.errors import ReviewError
from shinsa.review.models import AvailabilityChange, DecisionStatus, Queue, WorkItem, WorkKind
from tests.cast import make_person
from tests.quality.conftest import give_skills, make_version
from tests.review.conftest import windows


def gold_for(kai, version, *, action="remove", clause="VIO-1", ranges=((60_000, 65_000),), **options):
    return do_create_gold(
        actor=kai,
        title_version=version,
        policy_area="violence",
        action=action,
        clause_id=clause,
        ranges=[list(r) for r in ranges],
        rationale="Graphic killing at 1:00; removal under VIO-1.",
        **options,
    )


def test_gold_target_keeps_gold_at_the_configured_share():
    assert gold_target(0, 0.05) == 0
    assert gold_target(19, 0.05) == 1  # 1 / 20
    assert gold_target(100, 0.2) == 25  # 25 / 125
    assert gold_target(100, 0.0) == 0


def test_a_gold_answer_is_scored_and_never_touches_the_catalog(team, kai, audit_log):
    version = make_version("gold-1")
    before = windows(version)
    gold = gold_for(kai, version, max_exposures=1)
    for i in range(3):  # real work in the area, so gold is placed among it
        do_upsert_item(actor="system", title_version=make_version(f"real-{i}"), policy_area="violence")
    placed = do_place_gold(actor="system", rate=0.25)
    assert len(placed) == 1 and placed[0].kind == WorkKind.GOLD
    real = do_upsert_item(actor="system", title_version=make_version("real-x"), policy_area="violence")
    for field in ("queue_id", "severity", "sla_priority", "priority_score"):  # built exactly like real work
        assert getattr(placed[0], field) == getattr(real, field)
    claimed = []
    while (item := do_claim_next_item(actor=team.rin)) is not None:
        claimed.append(item)
        if item.kind == WorkKind.GOLD:
            break
    item = claimed[-1]
    assert item.kind == WorkKind.GOLD
    log = audit_log()
    decision = do_decide(
        actor=team.rin,
        item=item,
        action="remove",  # high impact on real work; on gold it is an answer, nothing more
        clause_id="VIO-1",
        evidence=[{"kind": "time_range", "start_ms": 61_000, "end_ms": 65_000}],
        source="screening",
        automated_detection=True,
    )
    assert decision.status == DecisionStatus.FINAL and not decision.high_impact
    assert windows(version) == before
    assert not AvailabilityChange.objects.filter(decision=decision).exists()
    answer = GoldAnswer.objects.get(item=item)
    assert (
        answer.reviewer == team.rin
        and answer.correct
        and answer.score == pytest.approx(0.5 + 0.25 + 0.25 * 0.8)
    )
    gold.refresh_from_db()
    assert gold.exposures == 1 and not gold.active and gold.retired_at is not None  # seen enough: retired
    assert {"quality.gold.scored", "quality.gold.retired"} <= set(log.verbs())
    # Practice never counts: not in operational figures, not appealable, not placed again once retired.
    assert not operational_decisions().filter(pk=decision.pk).exists()
    with pytest.raises(ReviewError):
        do_open_appeal(actor=team.sora, decision=decision, reason="unfair")
    assert do_place_gold(actor="system", rate=0.25) == []


def test_a_gold_restriction_does_not_block_restoring_availability_on_appeal(team, kai):
    version = make_version("shared")
    gold_for(kai, version, action="restrict", clause="VIO-1")
    do_upsert_item(actor="system", title_version=version, policy_area="violence")
    do_place_gold(actor="system", rate=0.5)
    items = [do_claim_next_item(actor=team.rin), do_claim_next_item(actor=team.rin)]
    evidence = [{"kind": "time_range", "start_ms": 1_000, "end_ms": 2_000}]
    decisions = {
        item.kind: do_decide(
            actor=team.rin,
            item=item,
            action="restrict",
            territories=("JP",),
            clause_id="VIO-1",
            evidence=evidence,
            source="customer_report",
            automated_detection=False,
        )
        for item in items
    }
    assert windows(version)[1][2] == timezone.now().date().isoformat()  # the real one ended JP
    from shinsa.review.actions import do_claim_next_item as claim
    from shinsa.review.actions import do_decide_appeal

    appeal = do_open_appeal(actor=team.rin, decision=decisions[WorkKind.REVIEW], reason="context")
    claim(actor=team.sora)
    do_decide_appeal(actor=team.sora, appeal=appeal, outcome="overturned")
    assert windows(version)[1] == ("JP", "2020-01-01", None)


def test_bad_gold_is_refused(kai, version):
    with pytest.raises(QualityError) as refused:
        do_create_gold(
            actor=kai,
            title_version=version,
            policy_area="violence",
            action="nuke",
            clause_id="HAT-1",
            ranges=[[5, 1]],
            rationale=" ",
        )
    assert len(refused.value.messages) == 4


def test_an_onboarding_set_gates_the_queue_for_new_reviewers_until_passed(team, kai):
    gold_one = gold_for(kai, make_version("on-1"), action="approve", clause="VIO-1", ranges=())
    gold_two = gold_for(kai, make_version("on-2"))
    queue = Queue.objects.get(pk="graphic_violence_global")
    onboarding = do_create_onboarding_set(
        actor=kai,
        queue=queue,
        name="Violence basics",
        golds=[gold_one, gold_two],
        pass_score=0.75,
    )
    do_upsert_item(actor="system", title_version=make_version("work"), policy_area="violence")
    newcomer = give_skills(make_person("nao", Role.REVIEWER))
    newcomer.date_joined = timezone.now() + datetime.timedelta(seconds=1)
    newcomer.save(update_fields=["date_joined"])
    assert do_claim_next_item(actor=newcomer) is None  # gated
    first = do_answer_onboarding(
        actor=newcomer, onboarding=onboarding, gold=gold_one, action="approve", clause_id="VIO-1"
    )
    assert first.correct and first.score == 1.0
    with pytest.raises(QualityError):
        do_answer_onboarding(
            actor=newcomer, onboarding=onboarding, gold=gold_one, action="approve", clause_id="VIO-1"
        )
    assert do_claim_next_item(actor=newcomer) is None  # one of two answered: still gated
    do_answer_onboarding(
        actor=newcomer,
        onboarding=onboarding,
        gold=gold_two,
        action="remove",
        clause_id="VIO-1",
        ranges=[[60_000, 65_000]],
    )
    assert do_claim_next_item(actor=newcomer) is not None  # passed: the queue is open
    # Reviewers who joined before the set was required are not held back.
    assert GoldItem.objects.get(pk=gold_one.pk).exposures == 1


def test_maturity_rating_gold_scores_the_reviewers_rating_findings(team, kai):
    from shinsa.ratings.actions import do_add_finding, do_start_assessment

    version = make_version("rated")
    gore = {"descriptor": "gore", "intensity": 3, "start_ms": 10_000, "end_ms": 20_000}
    gold = do_create_gold(
        actor=kai,
        title_version=version,
        policy_area="maturity_rating",
        action="age_gate",
        clause_id="RAT-1",
        findings=[gore],
        rationale="Visible wounds for ten seconds: gore at 3.",
    )
    assert gold.expected_findings == [gore]
    for i in range(3):
        do_upsert_item(actor="system", title_version=make_version(f"mr-{i}"), policy_area="maturity_rating")
    (item,) = do_place_gold(actor="system", rate=0.25)
    assessment = do_start_assessment(actor=team.rin, title_version=version)
    do_add_finding(
        actor=team.rin, assessment=assessment, descriptor="gore", intensity=2, start_ms=11_000, end_ms=20_000
    )
    while (claimed := do_claim_next_item(actor=team.rin)) is not None and claimed.pk != item.pk:
        pass
    assert claimed is not None
    do_decide(
        actor=team.rin,
        item=claimed,
        action="age_gate",
        clause_id="RAT-1",
        evidence=[{"kind": "note", "note": "gore"}],
        source="proactive",
        automated_detection=False,
    )
    answer = GoldAnswer.objects.get(item=item)
    assert answer.findings == [{"descriptor": "gore", "intensity": 2, "start_ms": 11_000, "end_ms": 20_000}]
    # Action and clause right, no ranges on either side: 1.0; the finding at the wrong intensity: 0.5.
    assert answer.score == pytest.approx(0.8 * 1.0 + 0.2 * 0.5) and answer.correct


def test_gold_findings_are_checked(kai, version):
    with pytest.raises(QualityError) as refused:
        do_create_gold(
            actor=kai,
            title_version=version,
            policy_area="maturity_rating",
            action="age_gate",
            clause_id="RAT-1",
            findings=[
                {"descriptor": "glitter", "intensity": 9, "start_ms": 5, "end_ms": 1},
                {"descriptor": "gore"},
            ],
            rationale="x",
        )
    assert refused.value.messages == (
        "Unknown descriptor “glitter”.",
        "Finding 1: the intensity is 1 to 4.",
        "Finding 1 must start at 0 or later and end after it starts.",
        "Finding 2 needs a descriptor, an intensity and a time range.",
    )


def test_the_worker_places_gold_on_its_rounds(team, kai, settings):
    from shinsa.jobs.housekeeping import Housekeeping, WorkerIdentity

    settings.GOLD_RATE_PERCENT = 25
    gold_for(kai, make_version("gold-w"))
    for i in range(3):
        do_upsert_item(actor="system", title_version=make_version(f"real-w{i}"), policy_area="violence")
    Housekeeping(
        identity=WorkerIdentity(worker_id="w", pid=1, host="h", backend_name="default"),
        every=datetime.timedelta(seconds=1),
        stale_after=datetime.timedelta(seconds=30),
        max_attempts=3,
    ).tick()
    assert WorkItem.objects.filter(kind=WorkKind.GOLD).count() == 1


def test_the_onboarding_gate_in_sql_agrees_with_the_progress_shown(team, kai):
    from shinsa.quality.queries import onboarding_progress
    from shinsa.review.gates import closed_queues

    gold_one = gold_for(kai, make_version("on-1"), action="approve", clause="VIO-1", ranges=())
    gold_two = gold_for(kai, make_version("on-2"))
    queue = Queue.objects.get(pk="graphic_violence_global")
    onboarding = do_create_onboarding_set(
        actor=kai, queue=queue, name="Violence basics", golds=[gold_one, gold_two], pass_score=0.75
    )
    newcomer = give_skills(make_person("nao", Role.REVIEWER))
    newcomer.date_joined = timezone.now() + datetime.timedelta(seconds=1)
    newcomer.save(update_fields=["date_joined"])
    steps = [
        ("approve", "VIO-1", [], gold_one),  # right: score 1
        ("approve", "VIO-1", [], gold_two),  # wrong action: every item answered, mean below the pass score
    ]
    assert closed_queues(newcomer) == {queue.pk} and not onboarding_progress(newcomer, onboarding).passed
    for action, clause, ranges, gold in steps:
        do_answer_onboarding(
            actor=newcomer, onboarding=onboarding, gold=gold, action=action, clause_id=clause, ranges=ranges
        )
        progress = onboarding_progress(newcomer, onboarding)
        assert (queue.pk in closed_queues(newcomer)) is not progress.passed
    assert progress.answered == progress.total == 2 and not progress.passed
    assert closed_queues(team.rin) == set()  # joined before the set is required from
