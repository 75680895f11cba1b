"""The demo's quality work: decisions to audit, an audit plan with finished and waiting audits, gold items
(one placed in a live queue, an onboarding set) and two calibration sessions (one closed, one in phase 1).

Everything goes through the review and quality actions. Seeded once: a database that already has an
audit plan is left as it is, so a second ``shinsa demo`` changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from shinsa.accounts.actions import do_set_clearance, do_set_policy_areas
from shinsa.accounts.models import User
from shinsa.catalog.models import TitleVersion
from shinsa.policy.current import current_policies
from shinsa.quality.actions import (
    do_answer_audit,
    do_answer_calibration,
    do_claim_audit_item,
    do_classify_audit,
    do_close_calibration,
    do_consensus_to_guideline,
    do_create_audit_plan,
    do_create_calibration,
    do_create_gold,
    do_create_onboarding_set,
    do_open_discussion,
    do_place_gold,
    do_record_consensus,
    do_reveal_calibration,
)
from shinsa.quality.models import AuditPlan
from shinsa.review.actions import (
    do_claim_next_item,
    do_decide,
    do_hold_item_for,
    do_sync_queues,
    do_upsert_item,
)
from shinsa.review.models import Queue, WorkItem
from shinsa.review.routing import queue_for

ACTOR = "demo"
AREAS = ("violence", "hate", "sexual_content", "maturity_rating", "subtitle_quality")
RANGE = [[12_000, 18_000]]


def _people() -> dict[str, User]:
    return {
        user.username: user
        for user in User.objects.filter(username__in=["haruka", "liam", "kenji", "grace", "yui"])
    }


def _decide(reviewer: User, version: TitleVersion, *, area: str, action: str, automated: bool) -> None:
    item = do_upsert_item(actor=ACTOR, title_version=version, policy_area=area)
    do_hold_item_for(actor=ACTOR, item=item, person=reviewer)
    claimed = do_claim_next_item(actor=reviewer)
    assert claimed is not None and claimed.pk == item.pk
    clause = {"violence": "VIO-1", "hate": "HAT-1"}[area]
    do_decide(
        actor=reviewer,
        item=claimed,
        action=action,
        clause_id=clause,
        evidence=[{"kind": "time_range", "start_ms": 12_000, "end_ms": 18_000}]
        if action != "approve"
        else [],
        note="デモの判断 / demo decision",
        source="screening" if automated else "proactive",
        automated_detection=automated,
    )


def _audits(people: dict[str, User], versions: list[TitleVersion]) -> AuditPlan:
    plan_actions = [
        "approve",
        "age_gate",
        "approve",
        "approve",
        "edit_request",
        "approve",
        "approve",
        "age_gate",
    ]
    for index, (version, action) in enumerate(zip(versions[:8], plan_actions, strict=True)):
        area = "violence" if index % 2 == 0 else "hate"
        # Haruka's English (B2) does not meet the hate queue's C1: Liam and Kenji take those.
        reviewer = (
            people["haruka"] if area == "violence" and index else people["liam" if index % 3 else "kenji"]
        )
        _decide(reviewer, version, area=area, action=action, automated=index in (0, 3, 6))
    today = timezone.localdate()
    plan = do_create_audit_plan(
        actor=people["grace"],
        name="2026年11月 月次監査 / November audit",
        decided_from=today.replace(day=1),
        decided_to=today,
        margin=0.3,
        confidence=0.9,
    )
    grace = people["grace"]
    for finding in (["wrong_severity"], []):
        sample = do_claim_audit_item(actor=grace)
        if sample is None:
            break
        do_answer_audit(
            actor=grace,
            sample=sample,
            action="age_gate" if finding else sample.decision.action,
            clause_id=sample.decision.clause_id,
            ranges=RANGE if finding else [],
            note="再審査 / re-review",
        )
        do_classify_audit(
            actor=grace,
            sample=sample,
            error_classes=finding,
            note="年齢制限が必要な強さ / strong enough for an age gate" if finding else "",
        )
    return plan


def _gold(people: dict[str, User], versions: list[TitleVersion]) -> int:
    grace = people["grace"]
    golds = [
        do_create_gold(
            actor=grace,
            title_version=versions[8],
            policy_area="violence",
            action="age_gate",
            clause_id="VIO-1",
            ranges=RANGE,
            rationale="流血の描写が 12〜18 秒に続く。/ Sustained bloodshed from 0:12 to 0:18.",
        ),
        do_create_gold(
            actor=grace,
            title_version=versions[9],
            policy_area="violence",
            action="approve",
            clause_id="VIO-1",
            rationale="殺陣のみで負傷の描写なし。/ Choreographed fight, no injury shown.",
        ),
    ]
    do_create_gold(
        actor=grace,
        title_version=versions[7],
        policy_area="maturity_rating",
        action="age_gate",
        clause_id="RAT-1",
        findings=[{"descriptor": "violence", "intensity": 3, "start_ms": 12_000, "end_ms": 18_000}],
        rationale="負傷が見える暴力は強度 3。/ Violence with visible injury is intensity 3.",
    )
    queue = queue_for(current_policies().queues, policy_area="violence", territory="")
    assert queue is not None
    do_create_onboarding_set(
        actor=grace,
        queue=Queue.objects.get(pk=queue.id),
        name="暴力表現の基礎 / Violence basics",
        golds=golds,
    )
    for version in versions[10:12]:  # live work for the gold to hide among
        do_upsert_item(actor=ACTOR, title_version=version, policy_area="violence")
    return len(do_place_gold(actor=ACTOR))


def _calibration(people: dict[str, User], versions: list[TitleVersion]) -> None:
    yui = people["yui"]
    invitees = [people["haruka"], people["liam"], people["kenji"]]
    closed = do_create_calibration(
        actor=yui,
        name="暴力表現の基準合わせ / Violence calibration",
        policy_area="violence",
        versions=versions[:3],
        invitees=invitees,
    )
    items = list(closed.items.order_by("position"))
    blind = {"haruka": ["age_gate", "approve", "approve"], "liam": ["approve", "approve", "age_gate"]}
    blind["kenji"] = ["age_gate", "approve", "age_gate"]
    for person in invitees:
        for item, action in zip(items, blind[person.username], strict=True):
            do_answer_calibration(actor=person, item=item, action=action, clause_id="VIO-1")
    do_reveal_calibration(actor=yui, session=closed)
    do_open_discussion(actor=yui, session=closed)
    consensus = ["age_gate", "approve", "age_gate"]
    for person in invitees:
        for item, action in zip(items, consensus, strict=True):
            do_answer_calibration(actor=person, item=item, action=action, clause_id="VIO-1")
    for item, action in zip(items, consensus, strict=True):
        do_record_consensus(
            actor=yui,
            item=item,
            discussion="再生して確認 / replayed together",
            action=action,
            clause_id="VIO-1",
            ranges=RANGE if action != "approve" else [],
            rationale="負傷が映るかどうかで判断する。/ It turns on whether injury is shown.",
        )
    do_close_calibration(actor=yui, session=closed)
    do_consensus_to_guideline(actor=yui, item=items[0])
    waiting = do_create_calibration(
        actor=yui,
        name="ヘイト表現の基準合わせ / Hate calibration",
        policy_area="hate",
        versions=versions[3:5],
        invitees=invitees,
    )
    first = waiting.items.order_by("position").first()
    do_answer_calibration(actor=people["haruka"], item=first, action="approve", clause_id="HAT-1")


@transaction.atomic
def seed_quality_demo() -> dict[str, Any]:
    """Seed the quality demo once; a summary of what was made (empty when it was already there)."""
    people = _people()
    versions = list(TitleVersion.objects.order_by("id")[:12])
    if AuditPlan.objects.exists() or len(people) < 5 or len(versions) < 12:
        return {}
    do_sync_queues(actor=ACTOR)
    for username in ("haruka", "liam", "kenji"):
        do_set_policy_areas(actor=ACTOR, user=people[username], areas=AREAS)
        do_set_clearance(actor=ACTOR, user=people[username], category="violence_gore", level=2)
        do_set_clearance(actor=ACTOR, user=people[username], category="disturbing", level=1)
    plan = _audits(people, versions)
    placed = _gold(people, versions)
    _calibration(people, versions)
    return {
        "audit_samples": plan.samples.count(),
        "gold_placed": placed,
        "work_items": WorkItem.objects.count(),
    }
