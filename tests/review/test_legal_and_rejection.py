"""Rejecting a pending four-eyes decision, legal-order intake and the restricted legal queue (actions)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from shinsa.accounts.errors import MissingPermission
from shinsa.accounts.roles import Role
from shinsa.catalog.models import Asset, AssetVersion
from shinsa.review.actions import (
    do_claim_next_item,
    do_confirm_decision,
    do_decide,
    do_intake_legal_order,
    do_reject_decision,
    do_upsert_item,
)
from shinsa.review.errors import ReviewError
from shinsa.review.models import Confirmation, Decision, DecisionStatus, ItemStatus, LegalOrder
from shinsa.review.routing import ItemNeeds, ReviewerRouting, is_eligible
from tests.cast import make_person
from tests.review.conftest import give_skills, make_version

pytestmark = pytest.mark.django_db


def _pending_removal(team, version, decider=None) -> Decision:
    decider = give_skills(decider) if decider is not None else team.rin
    item = do_upsert_item(actor="system", title_version=version, policy_area="violence", territory="JP")
    assert do_claim_next_item(actor=decider).pk == item.pk
    return do_decide(
        actor=decider,
        item=item,
        action="remove",
        clause_id="VIO-1",
        evidence=[{"kind": "note", "note": "gore"}],
        source="screening",
        automated_detection=True,
    )


def test_the_second_reviewer_rejects_with_a_reason_and_the_item_returns(team, version, audit_log):
    log = audit_log()
    decision = _pending_removal(team, version)
    with pytest.raises(MissingPermission):
        do_reject_decision(actor=team.rin, decision=decision, note="no")  # not a senior
    senior = make_person("sen", Role.SENIOR_REVIEWER)
    other = _pending_removal(team, make_version("film-2"), decider=senior)
    with pytest.raises(ReviewError, match="cannot reject your own"):
        do_reject_decision(actor=senior, decision=other, note="no")
    with pytest.raises(ReviewError, match="Say why"):
        do_reject_decision(actor=team.sora, decision=decision, note="  ")
    rejected = do_reject_decision(actor=team.sora, decision=decision, note="context is news")
    assert rejected.status == DecisionStatus.REJECTED
    assert Confirmation.objects.get(decision=decision).outcome == "rejected"
    assert decision.item.__class__.objects.get(pk=decision.item_id).status == ItemStatus.OPEN
    assert "review.decision.rejected" in log.verbs()
    with pytest.raises(ReviewError, match="not waiting"):
        do_confirm_decision(actor=team.sora, decision=rejected)


def test_a_legal_order_goes_only_to_legal_staff_and_its_decision_waits(team, version):
    lex = give_skills(make_person("lex", Role.LEGAL))
    deadline = timezone.now() + datetime.timedelta(hours=36)
    with pytest.raises(ReviewError):
        do_intake_legal_order(
            actor=team.mei, title_version=version, authority=" ", territory="XX", reference="",
            deadline=deadline, policy_area="nope",
        )  # fmt: skip
    assert not LegalOrder.objects.exists()
    order = do_intake_legal_order(
        actor=team.mei, title_version=version, authority="Court", territory="jp", reference="A-1",
        deadline=deadline, policy_area="privacy",
    )  # fmt: skip
    assert order.territory == "JP" and order.item.legal_only and order.item.due_at <= deadline
    assert do_claim_next_item(actor=team.rin) is None and do_claim_next_item(actor=team.sora) is None
    item = do_claim_next_item(actor=lex)
    decision = do_decide(
        actor=lex,
        item=item,
        action="approve",
        clause_id="PRV-1",
        source="proactive",
        automated_detection=False,
    )
    assert decision.source == "legal_order" and decision.status == DecisionStatus.PENDING_CONFIRMATION


def test_items_on_quarantined_media_are_legal_only(team, version):
    asset = Asset.objects.create(title_version=version, kind="video")
    AssetVersion.objects.create(
        asset=asset, number=1, sha256="0" * 64, size_bytes=1, metadata={}, quarantined_at=timezone.now()
    )
    item = do_upsert_item(actor="system", title_version=version, policy_area="violence", territory="JP")
    assert item.legal_only
    assert do_claim_next_item(actor=team.rin) is None


def test_the_pure_rule_matches_the_sql_for_legal_items():
    routing = ReviewerRouting(
        reviewer_id=1, queue_ids=frozenset(), policy_areas=frozenset(), territories=frozenset(),
        language_levels=(), clearances=(), exposure_budget_spent=False, max_escalation_tier=0,
    )  # fmt: skip
    needs = ItemNeeds(queue_id="privacy", policy_area="privacy", legal_only=True)
    assert not is_eligible(routing, needs)
    legal = ReviewerRouting(**{**{f: getattr(routing, f) for f in routing.__slots__}, "legal": True})
    assert is_eligible(legal, needs)
    assert not is_eligible(legal, ItemNeeds(queue_id="privacy", policy_area="privacy", graphic_level=1,
                                            graphic_category="violence_gore", legal_only=True))  # fmt: skip
