"""Decisions, four-eyes confirmation, escalations and appeals, and their effect on availability."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from shinsa import audit
from shinsa.accounts.access import require_perm, user_can
from shinsa.accounts.models import User
from shinsa.accounts.roles import Perm
from shinsa.accounts.skills import TERRITORY_CODES
from shinsa.api.webhooks import emit
from shinsa.catalog.models import Availability
from shinsa.policy.current import current_policies
from shinsa.review.actions.actors import Actor, _person, _require
from shinsa.review.actions.claiming import _back_to_open, _claimed_by, set_holder
from shinsa.review.actions.items import _score_and_rank, do_upsert_item
from shinsa.review.errors import ReviewError
from shinsa.review.evidence import EvidenceIssue, EvidenceRow, evidence_issues
from shinsa.review.models import (
    PRACTICE_KINDS,
    Appeal,
    AppealOutcome,
    AvailabilityChange,
    Confirmation,
    ConfirmationOutcome,
    Decision,
    DecisionAction,
    DecisionSource,
    DecisionStatus,
    Escalation,
    Evidence,
    ItemStatus,
    LegalOrder,
    WorkItem,
    WorkKind,
)
from shinsa.review.routing import (
    TIER_NAMES,
    TIER_POLICY_LEGAL,
    TIER_SENIOR,
)
from shinsa.review.signals import decision_made

# Time each escalation tier has to act, from the moment the item reaches it.
ESCALATION_SLA = {TIER_SENIOR: datetime.timedelta(hours=24), TIER_POLICY_LEGAL: datetime.timedelta(hours=72)}


# --- decisions -----------------------------------------------------------------------------------

# Actions that take the title out of territories, and need evidence.
_TAKEDOWN = (DecisionAction.RESTRICT, DecisionAction.REMOVE)
_NEEDS_EVIDENCE = (
    DecisionAction.RESTRICT,
    DecisionAction.REMOVE,
    DecisionAction.AGE_GATE,
    DecisionAction.EDIT_REQUEST,
)


def _today() -> datetime.date:
    return timezone.now().date()


def _live_windows(title_version_id: int, territories: Iterable[str]) -> list[Availability]:
    """Windows of the version in ``territories`` that are open today or start later."""
    today = _today()
    return list(
        Availability.objects.select_for_update()
        .filter(title_version_id=title_version_id, territory__in=sorted(territories))
        .exclude(ends_on__lte=today)
        .order_by("territory", "starts_on")
    )


def _available_territories(title_version_id: int) -> set[str]:
    return {w.territory for w in _live_windows(title_version_id, TERRITORY_CODES)}


def _asset_durations(title_version_id: int, rows: Sequence[EvidenceRow]) -> tuple[dict[int, int], list[str]]:
    """Known durations of the assets the evidence points into, and problems with those asset ids."""
    from shinsa.catalog.models import Asset, Fingerprint

    asset_ids = {row.asset_id for row in rows if row.asset_id is not None}
    if not asset_ids:
        return {}, []
    owned = set(
        Asset.objects.filter(pk__in=asset_ids, title_version_id=title_version_id).values_list("pk", flat=True)
    )
    problems = [
        _("Evidence points into asset %(asset)s, which is not part of this title version.")
        % {"asset": asset_id}
        for asset_id in sorted(asset_ids - owned)
    ]
    durations: dict[int, int] = {}
    for fingerprint in Fingerprint.objects.filter(asset_version__asset_id__in=owned).order_by(
        "asset_version__number"
    ):
        duration = fingerprint.facts.get("duration_ms") if isinstance(fingerprint.facts, dict) else None
        if isinstance(duration, int) and duration > 0:
            durations[fingerprint.asset_version.asset_id] = duration  # the newest version wins
    return durations, problems


def _evidence_message(issue: EvidenceIssue) -> str:
    """One evidence problem in the reader's language."""
    templates = {
        "unknown_kind": _(
            "Evidence %(number)s: unknown kind “%(kind)s” (use time_range, subtitle_cue, frame or note)."
        ),
        "range_needs_times": _("Evidence %(number)s: a time range needs a start and an end."),
        "negative_start": _("Evidence %(number)s: the start cannot be negative."),
        "end_before_start": _(
            "Evidence %(number)s: the end (%(end)s ms) must come after the start (%(start)s ms)."
        ),
        "frame_shape": _("Evidence %(number)s: a frame needs one time of 0 ms or more and no end."),
        "cue_index": _("Evidence %(number)s: a subtitle cue needs its cue number."),
        "note_shape": _("Evidence %(number)s: a note needs text and no times."),
        "past_end": _("Evidence %(number)s: %(at)s ms is past the end of the media (%(duration)s ms)."),
    }
    return templates[issue.code] % ({"number": issue.number} | dict(issue.values))


def _parse_evidence(evidence: Sequence[EvidenceRow | dict[str, Any]]) -> tuple[list[EvidenceRow], list[str]]:
    rows: list[EvidenceRow] = []
    problems: list[str] = []
    for number, entry in enumerate(evidence, start=1):
        if isinstance(entry, EvidenceRow):
            rows.append(entry)
            continue
        try:
            rows.append(EvidenceRow.from_dict(dict(entry)))
        except (TypeError, ValueError) as error:
            problems.append(
                _("Evidence %(number)s is malformed: %(error)s") % {"number": number, "error": error}
            )
    return rows, problems


def _decision_problems(
    *,
    item: WorkItem,
    action: str,
    clause_id: str,
    territories: list[str],
    rows: list[EvidenceRow],
    note: str,
    source: str,
) -> list[str]:
    policies = current_policies()
    problems: list[str] = []
    if action not in DecisionAction.values:
        problems.append(_("Unknown action “%(action)s”.") % {"action": action})
    if clause_id not in policies.clauses:
        problems.append(_("The clause “%(clause)s” is not in the policies in force.") % {"clause": clause_id})
    if source not in DecisionSource.values:
        problems.append(_("Unknown source “%(source)s”.") % {"source": source})
    for code in territories:
        if code not in TERRITORY_CODES:
            problems.append(_("Unknown territory “%(code)s”.") % {"code": code})
    if action == DecisionAction.RESTRICT and not territories:
        problems.append(_("Name the territories to restrict."))
    if action in _NEEDS_EVIDENCE and not rows:
        problems.append(_("This action needs evidence: a time range, a subtitle cue, a frame or a note."))
    if action == DecisionAction.EDIT_REQUEST and not any(row.kind == "time_range" for row in rows):
        problems.append(_("An edit request needs the time ranges to edit."))
    if action == DecisionAction.ESCALATE:
        if not note.strip():
            problems.append(_("Say why you escalate."))
        if item.escalation_tier >= TIER_POLICY_LEGAL:
            problems.append(_("This item is already at the highest tier."))
    durations, asset_problems = _asset_durations(item.title_version_id, rows)
    problems += asset_problems
    problems += [_evidence_message(issue) for issue in evidence_issues(rows, duration_ms=durations)]
    return problems


def _is_high_impact(*, action: str, source: str, territories: Sequence[str], available: set[str]) -> bool:
    """Remove, anything ordered by a legal or government authority, and a restriction covering every
    territory where the version is shown (a takedown in all but name)."""
    if action == DecisionAction.REMOVE or source == DecisionSource.LEGAL_ORDER:
        return True
    return action == DecisionAction.RESTRICT and bool(available) and available <= set(territories)


@transaction.atomic
def do_decide(
    *,
    actor: Actor,
    item: WorkItem,
    action: str,
    clause_id: str,
    territories: Sequence[str] = (),
    evidence: Sequence[EvidenceRow | dict[str, Any]] = (),
    note: str = "",
    source: str,
    automated_detection: bool,
) -> Decision:
    """Decide the item the actor holds. High-impact decisions wait for ``do_confirm_decision``; others take
    effect at once (restrict and remove end the version's availability in the territories)."""
    reviewer, locked = _claimed_by(
        actor,
        item,
        WorkItem.objects.annotate(legal_order=Exists(LegalOrder.objects.filter(item=OuterRef("pk")))),
    )
    if locked.legal_order:
        source = DecisionSource.LEGAL_ORDER  # an order's decision is four-eyes whatever the form said
    codes = sorted({code.strip().upper() for code in territories})
    rows, problems = _parse_evidence(evidence)
    problems += _decision_problems(
        item=locked,
        action=action,
        clause_id=clause_id,
        territories=codes,
        rows=rows,
        note=note,
        source=source,
    )
    if problems:
        raise ReviewError(*problems)
    policies = current_policies()
    # Where the version is shown matters to takedowns only (their scope and whether they are high impact).
    available = _available_territories(locked.title_version_id) if action in _TAKEDOWN else set()
    if action == DecisionAction.REMOVE and not codes:
        codes = sorted(available)
    # Gold and calibration answers are practice: they never act on the catalog, so they never wait for
    # a second reviewer either (docs/quality.md).
    practice = locked.kind in PRACTICE_KINDS
    high_impact = not practice and _is_high_impact(
        action=action, source=source, territories=codes, available=available
    )
    now = timezone.now()
    decision = Decision.objects.create(
        item=locked,
        title_version=locked.title_version,
        reviewer=reviewer,
        action=action,
        territories=codes,
        clause_id=clause_id,
        clause_version=policies.clauses[clause_id].version,
        policy_version=policies.version,
        note=note.strip(),
        source=source,
        automated_detection=automated_detection,
        work_kind=locked.kind,
        status=DecisionStatus.PENDING_CONFIRMATION if high_impact else DecisionStatus.FINAL,
        high_impact=high_impact,
        decided_at=now,
        final_at=None if high_impact else now,
    )
    Evidence.objects.bulk_create(
        Evidence(
            decision=decision,
            kind=row.kind,
            asset_id=row.asset_id,
            asset_version_id=row.asset_version_id,
            start_ms=row.start_ms,
            end_ms=row.end_ms,
            cue_index=row.cue_index,
            note=row.note,
        )
        for row in rows
    )
    ended = [] if high_impact or practice else _apply_to_availability(decision)
    if action == DecisionAction.ESCALATE:
        _escalate(locked, decision, reviewer=reviewer, reason=note.strip(), now=now)
    else:
        _mark_decided(locked, now)
    audit.record(
        actor=reviewer,
        verb="review.decision.made",
        obj=decision,
        after={
            "item": locked.pk,
            "action": action,
            "territories": codes,
            "clause": clause_id,
            "clause_version": decision.clause_version,
            "status": decision.status,
            "evidence": len(rows),
            "source": source,
            "automated_detection": automated_detection,
            "availability_ended": ended,
        },
    )
    emit("decision.made", _webhook_payload(decision))
    decision_made.send(sender=Decision, decision=decision)
    return decision


def _webhook_payload(decision: Decision) -> dict[str, Any]:
    """What receivers learn of a decision: ids and facts, never evidence media or notes."""
    version = decision.title_version
    return {
        "decision": decision.pk,
        "item": decision.item_id,
        "title": version.title.external_id,
        "version": version.label,
        "action": decision.action,
        "territories": decision.territories,
        "clause_id": decision.clause_id,
        "policy_version": decision.policy_version,
        "source": decision.source,
        "status": decision.status,
        "high_impact": decision.high_impact,
    }


def _mark_decided(item: WorkItem, now: datetime.datetime) -> None:
    set_holder(item, status=ItemStatus.DECIDED, now=now)


def _escalate(
    item: WorkItem, decision: Decision, *, reviewer: User, reason: str, now: datetime.datetime
) -> None:
    to_tier = item.escalation_tier + 1
    due_at = now + ESCALATION_SLA[to_tier]
    Escalation.objects.create(
        item=item,
        decision=decision,
        from_tier=item.escalation_tier,
        to_tier=to_tier,
        reason=reason,
        needs_territory_specialist=item.sensitive and bool(item.territory),
        raised_by=reviewer,
        raised_at=now,
        due_at=due_at,
    )
    item.escalation_tier = to_tier
    item.due_at = min(item.due_at, due_at) if to_tier == TIER_SENIOR else due_at
    _score_and_rank(item)
    _back_to_open(item, now)
    audit.record(
        actor=reviewer,
        verb="review.item.escalated",
        obj=item,
        after={"tier": TIER_NAMES[to_tier], "due_at": due_at.isoformat()},
        reason=reason,
    )


def _apply_to_availability(decision: Decision) -> list[list[str]]:
    """End (or withdraw, if not yet begun) the version's windows in the decision's territories; keep what
    was there. Idempotent: windows already ended are not touched again."""
    if decision.action not in _TAKEDOWN or not decision.territories:
        return []
    today = _today()
    ended: list[list[str]] = []
    for window in _live_windows(decision.title_version_id, decision.territories):
        change, created = AvailabilityChange.objects.get_or_create(
            decision=decision,
            territory=window.territory,
            starts_on=window.starts_on,
            defaults={
                "title_version_id": decision.title_version_id,
                "previous_ends_on": window.ends_on,
                "new_ends_on": today if window.starts_on < today else None,
            },
        )
        if not created:
            continue
        if window.starts_on < today:
            window.ends_on = today
            window.save(update_fields=["ends_on"])
        else:
            window.delete()
        ended.append([window.territory, window.starts_on.isoformat()])
    return ended


def _restore_availability(decision: Decision) -> list[list[str]]:
    """Put back the windows the decision ended, unless another decision in force still takes the version
    out of that territory. Idempotent: a restored change is not restored twice."""
    still_out: set[str] = set()
    for other in (
        Decision.objects.filter(
            title_version_id=decision.title_version_id, status=DecisionStatus.FINAL, action__in=_TAKEDOWN
        )
        .exclude(pk=decision.pk)
        .exclude(work_kind__in=PRACTICE_KINDS)
    ):
        still_out |= set(other.territories)
    restored: list[list[str]] = []
    now = timezone.now()
    for change in AvailabilityChange.objects.select_for_update().filter(
        decision=decision, restored_at__isnull=True
    ):
        if change.territory in still_out:
            continue
        Availability.objects.update_or_create(
            title_version_id=change.title_version_id,
            territory=change.territory,
            starts_on=change.starts_on,
            defaults={"ends_on": change.previous_ends_on},
        )
        change.restored_at = now
        change.save(update_fields=["restored_at"])
        restored.append([change.territory, change.starts_on.isoformat()])
    return restored


@transaction.atomic
def do_confirm_decision(*, actor: Actor, decision: Decision, note: str = "") -> Decision:
    """The second reviewer confirms a pending high-impact decision; it takes effect now."""
    confirmer = _person(actor)
    require_perm(confirmer, Perm.CONFIRM_HIGH_IMPACT)
    locked = Decision.objects.select_for_update().get(pk=decision.pk)
    if locked.reviewer_id == confirmer.pk:
        raise ReviewError(_("A decision needs a second person: you cannot confirm your own."))
    if locked.status != DecisionStatus.PENDING_CONFIRMATION:
        raise ReviewError(_("This decision is not waiting for confirmation."))
    now = timezone.now()
    Confirmation.objects.create(
        decision=locked,
        decider_id=locked.reviewer_id,
        confirmer=confirmer,
        note=note.strip(),
        confirmed_at=now,
    )
    locked.status = DecisionStatus.FINAL
    locked.final_at = now
    locked.save(update_fields=["status", "final_at"])
    ended = _apply_to_availability(locked)
    audit.record(
        actor=confirmer,
        verb="review.decision.confirmed",
        obj=locked,
        before={"status": DecisionStatus.PENDING_CONFIRMATION},
        after={"status": locked.status, "availability_ended": ended},
    )
    emit("decision.confirmed", _webhook_payload(locked))
    return locked


@transaction.atomic
def do_reject_decision(*, actor: Actor, decision: Decision, note: str) -> Decision:
    """The second reviewer rejects a pending high-impact decision: it never takes effect, and the item
    goes back to its queue for a fresh decision (unless a newer live item for the same key exists)."""
    rejecter = _person(actor)
    require_perm(rejecter, Perm.CONFIRM_HIGH_IMPACT)
    locked = Decision.objects.select_for_update().get(pk=decision.pk)
    problems: list[str] = []
    if locked.reviewer_id == rejecter.pk:
        problems.append(_("A decision needs a second person: you cannot reject your own."))
    if locked.status != DecisionStatus.PENDING_CONFIRMATION:
        problems.append(_("This decision is not waiting for confirmation."))
    if not note.strip():
        problems.append(_("Say why you reject the decision."))
    if problems:
        raise ReviewError(*problems)
    now = timezone.now()
    Confirmation.objects.create(
        decision=locked,
        decider_id=locked.reviewer_id,
        confirmer=rejecter,
        outcome=ConfirmationOutcome.REJECTED,
        note=note.strip(),
        confirmed_at=now,
    )
    locked.status = DecisionStatus.REJECTED
    locked.save(update_fields=["status"])
    item = WorkItem.objects.select_for_update().get(pk=locked.item_id)
    reopened = False
    newer = WorkItem.objects.filter(
        status__in=[ItemStatus.OPEN, ItemStatus.CLAIMED, ItemStatus.HELD],
        title_version_id=item.title_version_id,
        policy_area=item.policy_area,
        kind=item.kind,
    ).exclude(pk=item.pk)
    if item.status == ItemStatus.DECIDED and not newer.exists():
        item.decided_at = None
        _back_to_open(item, now)
        item.save()
        reopened = True
    audit.record(
        actor=rejecter,
        verb="review.decision.rejected",
        obj=locked,
        before={"status": DecisionStatus.PENDING_CONFIRMATION},
        after={"status": locked.status, "item_reopened": reopened},
        reason=note.strip(),
    )
    return locked


# --- legal and government orders -----------------------------------------------------------------


@transaction.atomic
def do_intake_legal_order(
    *,
    actor: Actor,
    title_version: Any,
    authority: str,
    territory: str,
    reference: str,
    deadline: datetime.datetime,
    policy_area: str,
    note: str = "",
) -> LegalOrder:
    """Record an order from a court, regulator or government and put its title in the restricted legal
    queue (only people with handle_legal), due by the statutory deadline. Legal staff and operations
    managers take orders in."""
    person = _person(actor)
    if not (user_can(person, Perm.HANDLE_LEGAL) or user_can(person, Perm.MANAGE_QUEUES)):
        require_perm(person, Perm.HANDLE_LEGAL)
    authority, reference, territory = authority.strip(), reference.strip(), territory.strip().upper()
    problems: list[str] = []
    if not authority:
        problems.append(_("Name the issuing authority."))
    if not reference:
        problems.append(_("Give the order's reference."))
    if territory not in TERRITORY_CODES:
        problems.append(_("Unknown territory “%(code)s”.") % {"code": territory})
    if policy_area not in current_policies().areas:
        problems.append(_("Unknown policy area “%(area)s”.") % {"area": policy_area})
    if (
        authority
        and reference
        and LegalOrder.objects.filter(authority=authority, reference=reference).exists()
    ):
        problems.append(_("This order (authority and reference) is already recorded."))
    if problems:
        raise ReviewError(*problems)
    item = do_upsert_item(
        actor="system",
        title_version=title_version,
        policy_area=policy_area,
        territory=territory,
        severity="critical",
        due_by=deadline,
        legal_only=True,
    )
    order = LegalOrder.objects.create(
        title_version=title_version,
        item=item,
        authority=authority,
        territory=territory,
        reference=reference,
        deadline=deadline,
        policy_area=policy_area,
        note=note.strip(),
        received_by=person,
    )
    audit.record(
        actor=person,
        verb="review.legal_order.received",
        obj=order,
        after={
            "item": item.pk,
            "authority": authority,
            "territory": territory,
            "reference": reference,
            "deadline": deadline.isoformat(),
        },
    )
    return order


# --- appeals -------------------------------------------------------------------------------------


@transaction.atomic
def do_open_appeal(*, actor: Actor, decision: Decision, reason: str, opened_by: str = "appellant") -> Appeal:
    """Reopen a final decision as appeal work for someone other than its reviewer."""
    _require(actor, Perm.REVIEW_ITEMS)
    locked = Decision.objects.select_for_update().get(pk=decision.pk)
    problems: list[str] = []
    if not reason.strip():
        problems.append(_("Say what the appeal is about."))
    if (
        locked.status != DecisionStatus.FINAL
        or locked.action == DecisionAction.ESCALATE
        or locked.work_kind in PRACTICE_KINDS
    ):
        problems.append(_("Only a final decision can be appealed."))
    if Appeal.objects.filter(decision=locked, outcome="").exists():
        problems.append(_("This decision already has an open appeal."))
    if problems:
        raise ReviewError(*problems)
    original = locked.item
    item = do_upsert_item(
        actor=actor,
        title_version=locked.title_version,
        policy_area=original.policy_area,
        kind=WorkKind.APPEAL,
        territory=original.territory,
        sensitive=original.sensitive,
        graphic_category=original.graphic_category,
        graphic_level=original.graphic_level,
        excluded_reviewer=locked.reviewer,
        language=original.required_language,
    )
    appeal = Appeal.objects.create(
        decision=locked,
        item=item,
        original_reviewer_id=locked.reviewer_id,
        reason=reason.strip(),
        opened_by=opened_by,
    )
    audit.record(
        actor=actor, verb="review.appeal.opened", obj=appeal, after={"decision": locked.pk, "item": item.pk}
    )
    return appeal


@transaction.atomic
def do_decide_appeal(*, actor: Actor, appeal: Appeal, outcome: str, note: str = "") -> Appeal:
    """Uphold or overturn; an overturn restores the availability the decision had ended."""
    reviewer = _person(actor)
    require_perm(reviewer, Perm.REVIEW_ITEMS)
    locked = Appeal.objects.select_for_update().get(pk=appeal.pk)
    problems: list[str] = []
    if outcome not in AppealOutcome.values:
        problems.append(_("An appeal is upheld or overturned, not “%(outcome)s”.") % {"outcome": outcome})
    if locked.original_reviewer_id == reviewer.pk:
        problems.append(_("Someone other than the original reviewer must decide the appeal."))
    if locked.outcome:
        problems.append(_("This appeal is already decided."))
    if problems:
        raise ReviewError(*problems)
    item = _claimed_by(reviewer, locked.item)[1]
    now = timezone.now()
    locked.outcome = outcome
    locked.decided_by = reviewer
    locked.decided_at = now
    locked.note = note.strip()
    locked.save()
    decision = Decision.objects.select_for_update().get(pk=locked.decision_id)
    restored: list[list[str]] = []
    if outcome == AppealOutcome.OVERTURNED:
        decision.status = DecisionStatus.OVERTURNED
        decision.save(update_fields=["status"])
        restored = _restore_availability(decision)
    if not Appeal.objects.filter(item=item, outcome="").exists():
        _mark_decided(item, now)
    audit.record(
        actor=reviewer,
        verb="review.appeal.decided",
        obj=locked,
        after={"outcome": outcome, "decision": decision.pk, "availability_restored": restored},
    )
    emit(
        "appeal.decided",
        {
            "appeal": locked.pk,
            "decision": decision.pk,
            "outcome": outcome,
            "decision_status": decision.status,
        },
    )
    return locked
