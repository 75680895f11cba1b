"""Calibration sessions: blind answers, reveal, discussion and consensus, gold and guideline examples."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shinsa import audit
from shinsa.accounts.access import require_perm, user_can
from shinsa.accounts.models import User
from shinsa.accounts.roles import Perm
from shinsa.catalog.models import TitleVersion
from shinsa.policy.current import current_policies
from shinsa.quality.actions.gold import do_create_gold
from shinsa.quality.answers import clean_answer
from shinsa.quality.errors import QualityError
from shinsa.quality.models import (
    CalibrationAnswer,
    CalibrationItem,
    CalibrationSession,
    GoldItem,
    GuidelineExample,
    Phase,
)
from shinsa.quality.queries import session_alpha


@transaction.atomic
def do_create_calibration(
    *,
    actor: User,
    name: str,
    policy_area: str,
    versions: Sequence[TitleVersion] = (),
    golds: Sequence[GoldItem] = (),
    invitees: Sequence[User],
) -> CalibrationSession:
    """A session on the chosen title versions (or gold items), with the reviewers invited."""
    require_perm(actor, Perm.RUN_CALIBRATION)
    problems: list[str] = []
    if not name.strip():
        problems.append(_("Give the session a name."))
    if policy_area not in current_policies().areas:
        problems.append(_("Unknown policy area “%(area)s”.") % {"area": policy_area})
    if not versions and not golds:
        problems.append(_("Pick at least one item to calibrate on."))
    if len(invitees) < 2:
        problems.append(_("Invite at least two reviewers: agreement needs more than one."))
    for person in invitees:
        if not user_can(person, Perm.REVIEW_ITEMS):
            problems.append(_("%(person)s does not review.") % {"person": person.username})
    if problems:
        raise QualityError(*problems)
    session = CalibrationSession.objects.create(name=name.strip(), policy_area=policy_area, lead=actor)
    session.invited.set(invitees)
    position = 0
    for gold in golds:
        position += 1
        CalibrationItem.objects.create(
            session=session, title_version=gold.title_version, gold=gold, position=position
        )
    for version in versions:
        position += 1
        CalibrationItem.objects.create(session=session, title_version=version, position=position)
    audit.record(
        actor=actor,
        verb="quality.calibration.created",
        obj=session,
        after={"area": policy_area, "items": position, "invited": [p.pk for p in invitees]},
    )
    return session


def _lead(actor: User, session: CalibrationSession) -> CalibrationSession:
    require_perm(actor, Perm.RUN_CALIBRATION)
    locked = CalibrationSession.objects.select_for_update().get(pk=session.pk)
    if locked.lead_id != actor.pk:
        raise QualityError(_("Only the session's lead can do this."))
    return locked


@transaction.atomic
def do_answer_calibration(
    *,
    actor: User,
    item: CalibrationItem,
    action: str,
    clause_id: str,
    ranges: Sequence[Sequence[Any]] = (),
    note: str = "",
) -> CalibrationAnswer:
    """An invited reviewer's answer: blind in phase 1; in phase 3 their answer after the discussion.
    Answering again in the same phase replaces the earlier answer."""
    require_perm(actor, Perm.REVIEW_ITEMS)
    session = CalibrationSession.objects.select_for_update().get(pk=item.session_id)
    problems: list[str] = []
    if not session.invited.filter(pk=actor.pk).exists():
        problems.append(_("You are not invited to this session."))
    rounds = {Phase.ANSWERING: 1, Phase.DISCUSSION: 2}
    if session.phase not in rounds:
        problems.append(_("The session does not take answers now."))
    cleaned, answer_problems = clean_answer(action=action, clause_id=clause_id, ranges=ranges)[1:]
    problems += answer_problems
    if problems:
        raise QualityError(*problems)
    answer, created = CalibrationAnswer.objects.update_or_create(
        item=item,
        reviewer=actor,
        round=rounds[session.phase],
        defaults={
            "action": action,
            "clause_id": clause_id,
            "ranges": cleaned,
            "note": note.strip(),
            "answered_at": timezone.now(),
        },
    )
    audit.record(
        actor=actor,
        verb="quality.calibration.answered",
        obj=answer,
        after={
            "session": session.pk,
            "round": answer.round,
            "action": action,
            "clause": clause_id,
            "new": created,
        },
    )
    return answer


@transaction.atomic
def do_reveal_calibration(*, actor: User, session: CalibrationSession) -> CalibrationSession:
    """Phase 2: everyone sees every answer, the spread per item and the agreement."""
    locked = _lead(actor, session)
    if locked.phase != Phase.ANSWERING:
        raise QualityError(_("Only a session in phase 1 can be revealed."))
    if not CalibrationAnswer.objects.filter(item__session=locked, round=1).exists():
        raise QualityError(_("Nobody has answered yet."))
    locked.phase = Phase.REVEALED
    locked.revealed_at = timezone.now()
    locked.alpha_before = session_alpha(locked, round_number=1)
    locked.save()
    audit.record(
        actor=actor,
        verb="quality.calibration.revealed",
        obj=locked,
        after={"alpha_before": locked.alpha_before},
    )
    return locked


@transaction.atomic
def do_open_discussion(*, actor: User, session: CalibrationSession) -> CalibrationSession:
    """Phase 3: notes, the consensus answer per item, and answers after the discussion."""
    locked = _lead(actor, session)
    if locked.phase != Phase.REVEALED:
        raise QualityError(_("Reveal the answers before the discussion."))
    locked.phase = Phase.DISCUSSION
    locked.save(update_fields=["phase"])
    audit.record(
        actor=actor, verb="quality.calibration.discussion_opened", obj=locked, after={"phase": locked.phase}
    )
    return locked


@transaction.atomic
def do_record_consensus(
    *,
    actor: User,
    item: CalibrationItem,
    discussion: str,
    action: str,
    clause_id: str,
    ranges: Sequence[Sequence[Any]] = (),
    rationale: str,
) -> CalibrationItem:
    locked_session = _lead(actor, item.session)
    problems: list[str] = []
    if locked_session.phase != Phase.DISCUSSION:
        problems.append(_("The consensus is recorded in phase 3."))
    __, cleaned, answer_problems = clean_answer(
        action=action, clause_id=clause_id, ranges=ranges, policy_area=locked_session.policy_area
    )
    problems += answer_problems
    if not rationale.strip():
        problems.append(_("Write down the rationale of the consensus."))
    if problems:
        raise QualityError(*problems)
    row = CalibrationItem.objects.select_for_update().get(pk=item.pk)
    row.discussion = discussion.strip()
    row.consensus_action = action
    row.consensus_clause = clause_id
    row.consensus_ranges = cleaned
    row.consensus_rationale = rationale.strip()
    row.save()
    audit.record(
        actor=actor,
        verb="quality.calibration.consensus",
        obj=row,
        after={"session": row.session_id, "action": action, "clause": clause_id},
    )
    return row


@transaction.atomic
def do_close_calibration(*, actor: User, session: CalibrationSession) -> CalibrationSession:
    locked = _lead(actor, session)
    if locked.phase != Phase.DISCUSSION:
        raise QualityError(_("Only a session in phase 3 can be closed."))
    missing = [item.position for item in locked.items.all() if not item.consensus_action]
    if missing:
        raise QualityError(
            _("Record the consensus of every item first (missing: %(items)s).")
            % {"items": ", ".join(str(p) for p in missing)}
        )
    locked.phase = Phase.CLOSED
    locked.closed_at = timezone.now()
    locked.alpha_after = session_alpha(locked, round_number=2)
    locked.save()
    audit.record(
        actor=actor,
        verb="quality.calibration.closed",
        obj=locked,
        after={"alpha_before": locked.alpha_before, "alpha_after": locked.alpha_after},
    )
    return locked


def _consensus_ready(item: CalibrationItem) -> None:
    if not item.consensus_action or not item.consensus_rationale:
        raise QualityError(_("This item has no consensus answer yet."))


@transaction.atomic
def do_consensus_to_gold(*, actor: User, item: CalibrationItem) -> GoldItem:
    """The consensus answer becomes a gold item (once)."""
    _lead(actor, item.session)
    row = CalibrationItem.objects.select_for_update().get(pk=item.pk)
    _consensus_ready(row)
    if GoldItem.objects.filter(from_calibration=row).exists():
        raise QualityError(_("This consensus is already a gold item."))
    return do_create_gold(
        actor=actor,
        title_version=row.title_version,
        policy_area=row.session.policy_area,
        action=row.consensus_action,
        clause_id=row.consensus_clause,
        ranges=row.consensus_ranges,
        rationale=row.consensus_rationale,
        from_calibration=row,
    )


@transaction.atomic
def do_consensus_to_guideline(*, actor: User, item: CalibrationItem) -> GuidelineExample:
    """The consensus answer becomes a worked example for the guidelines (once)."""
    _lead(actor, item.session)
    row = CalibrationItem.objects.select_for_update().get(pk=item.pk)
    _consensus_ready(row)
    if GuidelineExample.objects.filter(source=row).exists():
        raise QualityError(_("This consensus is already a guideline example."))
    example = GuidelineExample.objects.create(
        policy_area=row.session.policy_area,
        clause_id=row.consensus_clause,
        action=row.consensus_action,
        title_version=row.title_version,
        ranges=row.consensus_ranges,
        rationale=row.consensus_rationale,
        source=row,
        created_by=actor,
    )
    audit.record(
        actor=actor,
        verb="quality.guideline_example.created",
        obj=example,
        after={"clause": example.clause_id},
    )
    return example
