"""QA audits: plan a stratified sample, route the audit work, blind re-review, findings, disputes."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shinsa import audit
from shinsa.accounts.access import require_perm, user_can
from shinsa.accounts.models import User
from shinsa.accounts.roles import Perm
from shinsa.policy.current import current_policies
from shinsa.quality.answers import clean_answer
from shinsa.quality.errors import QualityError
from shinsa.quality.models import Adjudication, AuditPlan, AuditSample, ErrorClass, SampleStatus
from shinsa.quality.stats import Candidate, allocate
from shinsa.review import claims
from shinsa.review.actions import do_upsert_item
from shinsa.review.actions.claiming import LEASE, set_holder
from shinsa.review.models import (
    LIVE_STATUSES,
    Decision,
    DecisionAction,
    DecisionStatus,
    ItemStatus,
    WorkItem,
    WorkKind,
)
from shinsa.review.queries import claim_context
from shinsa.review.routing import TIER_POLICY_LEGAL, ReviewerRouting, levels_meeting

# Work whose decisions are audited: real reviews and appeals, never practice work.
AUDITED_KINDS = (WorkKind.REVIEW, WorkKind.APPEAL)


def operational_decisions():
    """Final decisions on real work: what audits sample and what operational figures count."""
    return Decision.objects.filter(work_kind__in=AUDITED_KINDS, status=DecisionStatus.FINAL).exclude(
        action=DecisionAction.ESCALATE
    )


def _plan_problems(
    *,
    name: str,
    decided_from: datetime.date,
    decided_to: datetime.date,
    confidence: float,
    margin: float,
    rate: float,
) -> list[str]:
    problems: list[str] = []
    if not name.strip():
        problems.append(_("Give the audit plan a name."))
    if decided_to < decided_from:
        problems.append(_("The period ends before it starts."))
    if not 0.5 <= confidence < 1.0:
        problems.append(_("The confidence level must be at least 0.5 and below 1."))
    if not 0.0 < margin <= 0.5:
        problems.append(_("The margin of error must be above 0 and at most 0.5."))
    if not 0.0 < rate < 1.0:
        problems.append(_("The expected error rate must be between 0 and 1."))
    return problems


def _candidates(
    decisions: Iterable[Decision], *, new_since: datetime.datetime
) -> tuple[list[Candidate], dict[int, Decision]]:
    by_id: dict[int, Decision] = {}
    rows: list[Candidate] = []
    for decision in decisions:
        by_id[decision.pk] = decision
        rows.append(
            Candidate(
                decision_id=decision.pk,
                reviewer_id=decision.reviewer_id,
                policy_area=decision.item.policy_area,
                severity=decision.item.severity,
                action=decision.action,
                new_reviewer=decision.reviewer.date_joined >= new_since,
                # Automation flagged it and the person cleared it: the disagreement audits learn most from.
                automation_disagreed=decision.automated_detection
                and decision.action == DecisionAction.APPROVE,
            )
        )
    return rows, by_id


@transaction.atomic
def do_create_audit_plan(
    *,
    actor: User,
    name: str,
    decided_from: datetime.date,
    decided_to: datetime.date,
    confidence: float = 0.95,
    margin: float = 0.10,
    expected_error_rate: float = 0.10,
    new_reviewer_days: int = 30,
    seed: int = 1,
) -> AuditPlan:
    """Sample final decisions of the period per reviewer × policy area × severity and route one audit work
    item per sampled decision to the auditors (never to the reviewer who decided)."""
    require_perm(actor, Perm.AUDIT_DECISIONS)
    problems = _plan_problems(
        name=name,
        decided_from=decided_from,
        decided_to=decided_to,
        confidence=confidence,
        margin=margin,
        rate=expected_error_rate,
    )
    if problems:
        raise QualityError(*problems)
    now = timezone.now()
    decisions = (
        operational_decisions()
        .filter(decided_at__date__gte=decided_from, decided_at__date__lte=decided_to)
        .exclude(audit_samples__isnull=False)
        .select_related("item", "reviewer")
        .order_by("id")
    )
    candidates, by_id = _candidates(decisions, new_since=now - datetime.timedelta(days=new_reviewer_days))
    if not candidates:
        raise QualityError(_("No final decision of that period is left to audit."))
    strata, picks = allocate(
        candidates, margin=margin, confidence=confidence, expected_rate=expected_error_rate, seed=seed
    )
    plan = AuditPlan.objects.create(
        name=name.strip(),
        created_by=actor,
        created_at=now,
        decided_from=decided_from,
        decided_to=decided_to,
        confidence=confidence,
        margin=margin,
        expected_error_rate=expected_error_rate,
        new_reviewer_days=new_reviewer_days,
        seed=seed,
    )
    usernames = dict(
        User.objects.filter(pk__in={s.reviewer_id for s in strata}).values_list("pk", "username")
    )
    taken_keys: set[tuple[int, str]] = set()
    sampled: dict[tuple[int, str, str], int] = {}
    for pick in picks:
        decision = by_id[pick.decision_id]
        key = (decision.title_version_id, decision.item.policy_area)
        if key in taken_keys or _live_audit_exists(*key):
            continue  # one live audit item per version and area (the work model's dedup key)
        taken_keys.add(key)
        item = _audit_item(decision)
        AuditSample.objects.create(
            plan=plan,
            decision=decision,
            item=item,
            reviewer_id=decision.reviewer_id,
            policy_area=decision.item.policy_area,
            severity=decision.item.severity,
            reasons=list(pick.reasons),
        )
        stratum_key = (decision.reviewer_id, decision.item.policy_area, decision.item.severity)
        sampled[stratum_key] = sampled.get(stratum_key, 0) + 1
    plan.strata = [
        {
            "reviewer": usernames.get(s.reviewer_id, str(s.reviewer_id)),
            "policy_area": s.policy_area,
            "severity": s.severity,
            "population": s.population,
            "base_size": s.base_size,
            "size": s.size,
            "sampled": sampled.get(s.key, 0),
            "reasons": s.reasons,
        }
        for s in strata
    ]
    plan.save(update_fields=["strata"])
    audit.record(
        actor=actor,
        verb="quality.audit_plan.created",
        obj=plan,
        after={
            "period": [decided_from.isoformat(), decided_to.isoformat()],
            "confidence": confidence,
            "margin": margin,
            "strata": len(strata),
            "sampled": plan.samples.count(),
        },
    )
    return plan


def _live_audit_exists(title_version_id: int, policy_area: str) -> bool:
    return WorkItem.objects.filter(
        title_version_id=title_version_id,
        policy_area=policy_area,
        kind=WorkKind.AUDIT,
        status__in=LIVE_STATUSES,
    ).exists()


def _audit_item(decision: Decision) -> WorkItem:
    original = decision.item
    return do_upsert_item(
        actor="system",
        title_version=decision.title_version,
        policy_area=original.policy_area,
        kind=WorkKind.AUDIT,
        severity=original.severity,
        territory=original.territory,
        language=original.required_language,
        sensitive=original.sensitive,
        graphic_category=original.graphic_category,
        graphic_level=original.graphic_level,
        excluded_reviewer=decision.reviewer,
    )


def auditor_routing(user: User) -> ReviewerRouting:
    """Auditors audit every policy area and queue; the item's own language and graphic needs still apply."""
    context = claim_context(user.pk)
    policies = current_policies()
    return ReviewerRouting(
        reviewer_id=user.pk,
        queue_ids=frozenset(queue.id for queue in policies.queues),
        policy_areas=frozenset(area.id for area in policies.areas),
        territories=context.profile.territories,
        language_levels=tuple(
            (language, levels_meeting(level, language)) for language, level in context.profile.languages
        ),
        clearances=context.profile.clearances,
        exposure_budget_spent=context.exposure_budget_spent,
        max_escalation_tier=TIER_POLICY_LEGAL,
    )


@transaction.atomic
def do_claim_audit_item(*, actor: User) -> AuditSample | None:
    """Claim the next audit work item the auditor may take (never one about their own decision)."""
    require_perm(actor, Perm.AUDIT_DECISIONS)
    now = timezone.now()
    claimed = claims.claim_next(
        auditor_routing(actor), now=now, lease_expires_at=now + LEASE, kind=WorkKind.AUDIT
    )
    if claimed is None:
        return None
    item_id = claimed.pk  # claim_next returns the claimed row (review's one-statement claim)
    sample = (
        AuditSample.objects.filter(item_id=item_id, status=SampleStatus.PENDING)
        .select_related("item")
        .first()
    )
    if sample is None:  # an audit item without a pending sample is finished business: close it
        item = WorkItem.objects.get(pk=item_id)
        set_holder(item, status=ItemStatus.CLOSED, now=now)
        audit.record(
            actor=actor, verb="quality.audit.item_closed", obj=item, after={"reason": "no pending sample"}
        )
        return None
    audit.record(actor=actor, verb="quality.audit.claimed", obj=sample, after={"item": item_id})
    return sample


def _locked(sample: AuditSample) -> AuditSample:
    return AuditSample.objects.select_for_update().select_related("decision", "item").get(pk=sample.pk)


@transaction.atomic
def do_answer_audit(
    *,
    actor: User,
    sample: AuditSample,
    action: str,
    clause_id: str,
    ranges: Sequence[Sequence[Any]] = (),
    note: str = "",
) -> AuditSample:
    """The auditor's own answer, given before they see the original decision."""
    require_perm(actor, Perm.AUDIT_DECISIONS)
    locked = _locked(sample)
    item = WorkItem.objects.select_for_update().get(pk=locked.item_id)
    problems: list[str] = []
    if locked.reviewer_id == actor.pk:
        problems.append(_("Nobody audits their own decisions."))
    if locked.status != SampleStatus.PENDING:
        problems.append(_("This audit already has an answer."))
    elif item.status != ItemStatus.CLAIMED or item.claimed_by_id != actor.pk:
        problems.append(_("You do not hold this audit; claim it first."))
    cleaned, answer_problems = clean_answer(action=action, clause_id=clause_id, ranges=ranges)[1:]
    problems += answer_problems
    if problems:
        raise QualityError(*problems)
    now = timezone.now()
    locked.auditor = actor
    locked.answer_action = action
    locked.answer_clause = clause_id
    locked.answer_ranges = cleaned
    locked.answer_note = note.strip()
    locked.answered_at = now
    locked.status = SampleStatus.ANSWERED
    locked.save()
    set_holder(item, status=ItemStatus.DECIDED, now=now)
    audit.record(
        actor=actor,
        verb="quality.audit.answered",
        obj=locked,
        after={"action": action, "clause": clause_id, "ranges": len(cleaned)},
    )
    return locked


@transaction.atomic
def do_classify_audit(
    *, actor: User, sample: AuditSample, error_classes: Sequence[str], note: str = ""
) -> AuditSample:
    """After the reveal: the errors the original decision made (none: it was right)."""
    require_perm(actor, Perm.AUDIT_DECISIONS)
    locked = _locked(sample)
    classes = sorted(set(error_classes))
    problems: list[str] = []
    if locked.status != SampleStatus.ANSWERED or locked.auditor_id != actor.pk:
        problems.append(_("Only the auditor who answered can classify this audit, once."))
    for value in classes:
        if value not in ErrorClass.values:
            problems.append(_("Unknown error class “%(value)s”.") % {"value": value})
    if classes and not note.strip():
        problems.append(_("Say what the error was."))
    if problems:
        raise QualityError(*problems)
    locked.error_classes = classes
    locked.finding_note = note.strip()
    locked.audited_at = timezone.now()
    locked.status = SampleStatus.AUDITED
    locked.save()
    audit.record(
        actor=actor,
        verb="quality.audit.classified",
        obj=locked,
        after={"errors": classes, "decision": locked.decision_id},
    )
    return locked


@transaction.atomic
def do_dispute_audit(*, actor: User, sample: AuditSample, reason: str) -> AuditSample:
    """The reviewer whose decision was found wrong disputes the finding."""
    locked = _locked(sample)
    problems: list[str] = []
    if locked.reviewer_id != actor.pk:
        problems.append(_("Only the reviewer whose decision was audited can dispute it."))
    if locked.status != SampleStatus.AUDITED or not locked.error_classes:
        problems.append(_("Only an audit that found an error can be disputed, once."))
    if not reason.strip():
        problems.append(_("Say why you dispute the finding."))
    if problems:
        raise QualityError(*problems)
    locked.dispute_reason = reason.strip()
    locked.disputed_at = timezone.now()
    locked.status = SampleStatus.DISPUTED
    locked.save()
    audit.record(
        actor=actor, verb="quality.audit.disputed", obj=locked, after={"decision": locked.decision_id}
    )
    return locked


@transaction.atomic
def do_adjudicate_audit(*, actor: User, sample: AuditSample, outcome: str, note: str) -> AuditSample:
    """A senior who is neither the reviewer nor the auditor upholds or overturns the finding."""
    require_perm(actor, Perm.HANDLE_ESCALATIONS)
    locked = _locked(sample)
    problems: list[str] = []
    if actor.pk in (locked.reviewer_id, locked.auditor_id):
        problems.append(_("A dispute is decided by someone other than the reviewer and the auditor."))
    if locked.status != SampleStatus.DISPUTED:
        problems.append(_("This audit is not disputed."))
    if outcome not in Adjudication.values:
        problems.append(_("A finding is upheld or overturned, not “%(outcome)s”.") % {"outcome": outcome})
    if not note.strip():
        problems.append(_("Give the reason for the decision."))
    if problems:
        raise QualityError(*problems)
    locked.adjudicator = actor
    locked.adjudication = outcome
    locked.adjudication_note = note.strip()
    locked.adjudicated_at = timezone.now()
    locked.status = SampleStatus.ADJUDICATED
    locked.save()
    audit.record(actor=actor, verb="quality.audit.adjudicated", obj=locked, after={"outcome": outcome})
    return locked


def may_see_sample(user: User, sample: AuditSample) -> bool:
    """Auditors, the reviewer concerned, and seniors who may adjudicate."""
    return (
        user_can(user, Perm.AUDIT_DECISIONS)
        or (sample.reviewer_id == user.pk and sample.finished)
        or (user_can(user, Perm.HANDLE_ESCALATIONS) and sample.status == SampleStatus.DISPUTED)
    )
