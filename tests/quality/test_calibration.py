"""Calibration sessions through their three phases."""

from __future__ import annotations

import pytest

from shinsa.quality.actions import (
    do_answer_calibration,
    do_close_calibration,
    do_consensus_to_gold,
    do_consensus_to_guideline,
    do_create_calibration,
    do_open_discussion,
    do_record_consensus,
    do_reveal_calibration,
)
from shinsa.quality.errors import QualityError
from shinsa.quality.models import GoldItem, GuidelineExample, Phase
from shinsa.quality.queries import calibration_by_area, session_spread, session_statistics
from tests.quality.conftest import make_version


@pytest.fixture
def session(team, yui):
    return do_create_calibration(
        actor=yui,
        name="Violence, November",
        policy_area="violence",
        versions=[make_version("cal-1"), make_version("cal-2"), make_version("cal-3")],
        invitees=[team.rin, team.sora],
    )


def answer(who, item, action, clause="VIO-1"):
    return do_answer_calibration(actor=who, item=item, action=action, clause_id=clause)


def test_a_session_runs_blind_then_reveals_then_reaches_consensus(cast, team, yui, session, audit_log):
    log = audit_log()
    items = list(session.items.order_by("position"))
    with pytest.raises(QualityError):
        do_reveal_calibration(actor=yui, session=session)  # nobody answered
    for item, (a, b) in zip(
        items, [("remove", "remove"), ("approve", "age_gate"), ("approve", "approve")], strict=True
    ):
        answer(team.rin, item, a)
        answer(team.sora, item, b)
    answer(team.rin, items[0], "restrict")  # changing one's mind in phase 1 replaces the answer
    with pytest.raises(QualityError):
        do_open_discussion(actor=yui, session=session)
    with pytest.raises(QualityError):
        do_reveal_calibration(actor=cast.ada, session=session)  # may run sessions, but not the lead
    revealed = do_reveal_calibration(actor=yui, session=session)
    assert revealed.phase == Phase.REVEALED
    # 3 units, 2 raters, actions restrict/remove, approve/age_gate, approve/approve: 1 of 3 agree.
    stats = {line.metric: line for line in session_statistics(revealed)}
    assert stats["percent"].value == pytest.approx(1 / 3)
    assert stats["alpha"].value == pytest.approx(revealed.alpha_before)
    spread = session_spread(revealed)
    assert spread[0].actions == [("restrict", 1), ("remove", 1)] or spread[0].actions == [
        ("remove", 1),
        ("restrict", 1),
    ]
    assert spread[2].unanimous and not spread[1].unanimous
    with pytest.raises(QualityError):
        answer(team.rin, items[0], "remove")  # no answers between the reveal and the discussion
    do_open_discussion(actor=yui, session=revealed)
    for item, action in zip(items, ["remove", "age_gate", "approve"], strict=True):
        answer(team.rin, item, action)
        answer(team.sora, item, action)
    with pytest.raises(QualityError) as refused:
        do_close_calibration(actor=yui, session=session)
    assert "missing: 1, 2, 3" in refused.value.messages[0]
    for item, action in zip(items, ["remove", "age_gate", "approve"], strict=True):
        do_record_consensus(
            actor=yui,
            item=item,
            discussion="2:1 after replay",
            action=action,
            clause_id="VIO-1",
            ranges=[[61_000, 64_000]] if action != "approve" else [],
            rationale="Graphic; see the replay at 1:01.",
        )
    closed = do_close_calibration(actor=yui, session=session)
    assert closed.phase == Phase.CLOSED and closed.alpha_after == pytest.approx(1.0)
    assert closed.alpha_before < closed.alpha_after
    gold = do_consensus_to_gold(actor=yui, item=items[0])
    assert gold.expected_action == "remove" and gold.expected_ranges == [[61_000, 64_000]]
    with pytest.raises(QualityError):
        do_consensus_to_gold(actor=yui, item=items[0])
    example = do_consensus_to_guideline(actor=yui, item=items[1])
    assert example.clause_id == "VIO-1" and GuidelineExample.objects.count() == 1
    assert GoldItem.objects.get(from_calibration=items[0]) == gold
    trend = calibration_by_area()
    assert trend[0].policy_area == "violence" and trend[0].mean_after == pytest.approx(1.0)
    verbs = log.verbs()
    for verb in ("revealed", "discussion_opened", "consensus", "closed"):
        assert f"quality.calibration.{verb}" in verbs


def test_only_invited_reviewers_answer(team, cast, session):
    with pytest.raises(QualityError) as refused:
        do_answer_calibration(actor=cast.ada, item=session.items.first(), action="approve", clause_id="VIO-1")
    assert "You are not invited to this session." in refused.value.messages


def test_a_session_needs_items_and_two_reviewers(team, yui):
    with pytest.raises(QualityError) as refused:
        do_create_calibration(actor=yui, name="", policy_area="nope", invitees=[team.rin])
    assert len(refused.value.messages) == 4
