"""Golden sets: gold items, their placement in live queues, automatic scoring, retirement, onboarding."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from shinsa import audit
from shinsa.accounts.access import require_perm, user_can
from shinsa.accounts.models import User
from shinsa.accounts.roles import Perm
from shinsa.catalog.models import TitleVersion
from shinsa.policy.current import current_policies
from shinsa.quality.answers import (
    as_findings,
    assessment_findings,
    clean_answer,
    clean_findings,
    decision_ranges,
)
from shinsa.quality.errors import QualityError
from shinsa.quality.models import CalibrationItem, GoldAnswer, GoldContext, GoldItem, OnboardingSet
from shinsa.quality.stats import Answer, score_answer
from shinsa.review.actions import do_upsert_item
from shinsa.review.errors import ReviewError
from shinsa.review.models import LIVE_STATUSES, Decision, DecisionAction, Queue, WorkItem, WorkKind


def _require_expert(actor: User) -> None:
    if not user_can(actor, Perm.RUN_CALIBRATION):
        require_perm(actor, Perm.AUDIT_DECISIONS)


@transaction.atomic
def do_create_gold(
    *,
    actor: User,
    title_version: TitleVersion,
    policy_area: str,
    action: str,
    clause_id: str,
    ranges: Sequence[Sequence[Any]] = (),
    rationale: str,
    findings: Sequence[dict[str, Any]] = (),
    max_exposures: int = 20,
    from_calibration: CalibrationItem | None = None,
) -> GoldItem:
    """A gold item: the expert answer (action, clause, time ranges, rating findings) and why."""
    _require_expert(actor)
    problems: list[str] = []
    if policy_area not in current_policies().areas:
        problems.append(_("Unknown policy area “%(area)s”.") % {"area": policy_area})
    __, cleaned, answer_problems = clean_answer(
        action=action, clause_id=clause_id, ranges=ranges, policy_area=policy_area
    )
    problems += answer_problems
    expected_findings, finding_problems = clean_findings(findings)
    problems += finding_problems
    if not rationale.strip():
        problems.append(_("Write down why this is the right answer."))
    if max_exposures < 1:
        problems.append(_("A gold item must be seen at least once before it retires."))
    if problems:
        raise QualityError(*problems)
    gold = GoldItem.objects.create(
        title_version=title_version,
        policy_area=policy_area,
        expected_action=action,
        expected_clause=clause_id,
        expected_ranges=cleaned,
        expected_findings=expected_findings,
        rationale=rationale.strip(),
        max_exposures=max_exposures,
        created_by=actor,
        from_calibration=from_calibration,
    )
    audit.record(
        actor=actor,
        verb="quality.gold.created",
        obj=gold,
        after={
            "area": policy_area,
            "action": action,
            "clause": clause_id,
            "ranges": len(cleaned),
            "findings": len(expected_findings),
        },
    )
    return gold


def gold_target(live_reviews: int, rate: float) -> int:
    """How many live gold items keep gold at ``rate`` of the live work: g / (r + g) ≈ rate."""
    if live_reviews <= 0 or rate <= 0:
        return 0
    return math.ceil(rate * live_reviews / (1.0 - rate) - 1e-9)


@transaction.atomic
def do_place_gold(*, actor: Any = "system", rate: float | None = None) -> list[WorkItem]:
    """Put active gold into the live queues so that, per policy area, gold makes up ``rate`` of the live
    work (``GOLD_RATE_PERCENT`` unless given). Gold items are work items of kind ``gold`` built exactly
    like real ones; the least-seen gold goes first."""
    if not isinstance(actor, str):
        _require_expert(actor)
    share = settings.GOLD_RATE_PERCENT / 100 if rate is None else rate
    if not 0 <= share < 1:
        raise QualityError(_("The gold rate must be at least 0 and below 1."))
    placed: list[WorkItem] = []
    areas = GoldItem.objects.filter(active=True).values_list("policy_area", flat=True).distinct()
    for area in sorted(set(areas)):
        live = WorkItem.objects.filter(policy_area=area, status__in=LIVE_STATUSES)
        reviews = live.filter(kind=WorkKind.REVIEW).count()
        missing = gold_target(reviews, share) - live.filter(kind=WorkKind.GOLD).count()
        if missing <= 0:
            continue
        busy = set(live.filter(kind=WorkKind.GOLD).values_list("title_version_id", flat=True))
        for gold in GoldItem.objects.filter(active=True, policy_area=area).order_by("exposures", "id"):
            if missing <= 0:
                break
            if gold.title_version_id in busy:
                continue  # one live gold item per version and area (the work model's dedup key)
            try:
                item = do_upsert_item(
                    actor="system", title_version=gold.title_version, policy_area=area, kind=WorkKind.GOLD
                )
            except ReviewError:
                continue  # no queue serves the area any more
            GoldAnswer.objects.create(gold=gold, context=GoldContext.LIVE, item=item)
            busy.add(gold.title_version_id)
            placed.append(item)
            missing -= 1
    if placed:
        audit.record(
            actor=actor,
            verb="quality.gold.placed",
            object_type="quality.golditem",
            object_id="*",
            after={"items": [item.pk for item in placed], "rate": share},
        )
    return placed


def _score(gold: GoldItem, answer: Answer):
    expected = Answer(
        action=gold.expected_action,
        clause_id=gold.expected_clause,
        ranges=tuple((s, e) for s, e in gold.expected_ranges),
        findings=as_findings(gold.expected_findings),
    )
    return score_answer(expected, answer)


def _seen(gold: GoldItem, actor: Any) -> None:
    """Count one more exposure; retire the gold once it has been seen too often."""
    GoldItem.objects.filter(pk=gold.pk).update(exposures=F("exposures") + 1)
    gold.refresh_from_db()
    if gold.active and gold.exposures >= gold.max_exposures:
        gold.active = False
        gold.retired_at = timezone.now()
        gold.save(update_fields=["active", "retired_at"])
        audit.record(actor=actor, verb="quality.gold.retired", obj=gold, after={"exposures": gold.exposures})


def score_gold_decision(decision: Decision) -> GoldAnswer | None:
    """Score a decision made on a live gold item (called from review's ``decision_made`` signal, inside
    the decision's transaction). Escalating a gold item is not an answer: it waits for the next one."""
    if decision.work_kind != WorkKind.GOLD or decision.action == DecisionAction.ESCALATE:
        return None
    answer_row = (
        GoldAnswer.objects.select_for_update().filter(item_id=decision.item_id).select_related("gold").first()
    )
    if answer_row is None or answer_row.decision_id is not None:
        return None
    ranges = decision_ranges(decision)
    findings = (
        assessment_findings(reviewer_id=decision.reviewer_id, title_version_id=decision.title_version_id)
        if answer_row.gold.expected_findings
        else []
    )
    result = _score(
        answer_row.gold,
        Answer(
            action=decision.action,
            clause_id=decision.clause_id,
            ranges=tuple((s, e) for s, e in ranges),
            findings=as_findings(findings),
        ),
    )
    answer_row.findings = findings
    answer_row.reviewer_id = decision.reviewer_id
    answer_row.decision = decision
    answer_row.action = decision.action
    answer_row.clause_id = decision.clause_id
    answer_row.ranges = ranges
    answer_row.score = result.score
    answer_row.correct = result.correct
    answer_row.answered_at = decision.decided_at
    answer_row.save()
    _seen(answer_row.gold, "system")
    audit.record(
        actor="system",
        verb="quality.gold.scored",
        obj=answer_row,
        after={"score": result.score, "correct": result.correct, "gold": answer_row.gold_id},
    )
    return answer_row


@transaction.atomic
def do_create_onboarding_set(
    *, actor: User, queue: Queue, name: str, golds: Sequence[GoldItem], pass_score: float = 0.8
) -> OnboardingSet:
    """Gold a reviewer who joins from now on must pass before ``queue`` serves them."""
    _require_expert(actor)
    problems: list[str] = []
    if not name.strip():
        problems.append(_("Give the onboarding set a name."))
    if not golds:
        problems.append(_("An onboarding set needs at least one gold item."))
    if not 0 < pass_score <= 1:
        problems.append(_("The pass score must be above 0 and at most 1."))
    if problems:
        raise QualityError(*problems)
    onboarding = OnboardingSet.objects.create(
        queue=queue, name=name.strip(), pass_score=pass_score, created_by=actor
    )
    onboarding.golds.set(golds)
    audit.record(
        actor=actor,
        verb="quality.onboarding.created",
        obj=onboarding,
        after={"queue": queue.pk, "golds": [g.pk for g in golds], "pass_score": pass_score},
    )
    return onboarding


@transaction.atomic
def do_answer_onboarding(
    *,
    actor: User,
    onboarding: OnboardingSet,
    gold: GoldItem,
    action: str,
    clause_id: str,
    ranges: Sequence[Sequence[Any]] = (),
    findings: Sequence[dict[str, Any]] = (),
) -> GoldAnswer:
    """A new reviewer's answer to one gold item of an onboarding set, scored at once."""
    require_perm(actor, Perm.REVIEW_ITEMS)
    problems: list[str] = []
    if not onboarding.golds.filter(pk=gold.pk).exists():
        problems.append(_("This gold item is not part of the onboarding set."))
    if GoldAnswer.objects.filter(onboarding=onboarding, gold=gold, reviewer=actor).exists():
        problems.append(_("You already answered this item."))
    answer, cleaned, answer_problems = clean_answer(action=action, clause_id=clause_id, ranges=ranges)
    given_findings, finding_problems = clean_findings(findings)
    problems += answer_problems + finding_problems
    if problems:
        raise QualityError(*problems)
    result = _score(
        gold,
        Answer(
            action=answer.action,
            clause_id=answer.clause_id,
            ranges=answer.ranges,
            findings=as_findings(given_findings),
        ),
    )
    row = GoldAnswer.objects.create(
        gold=gold,
        context=GoldContext.ONBOARDING,
        onboarding=onboarding,
        reviewer=actor,
        action=action,
        clause_id=clause_id,
        ranges=cleaned,
        findings=given_findings,
        score=result.score,
        correct=result.correct,
        answered_at=timezone.now(),
    )
    _seen(gold, actor)
    audit.record(
        actor=actor,
        verb="quality.onboarding.answered",
        obj=row,
        after={"score": result.score, "correct": result.correct, "set": onboarding.pk},
    )
    return row
