"""Decisions on gold and calibration work are practice: they never act on the catalog, never wait for a
second reviewer, cannot be appealed and never stop an appeal from restoring availability."""

from __future__ import annotations

import pytest

from shinsa.review.actions import do_claim_next_item, do_decide, do_open_appeal, do_upsert_item
from shinsa.review.errors import ReviewError
from shinsa.review.models import AvailabilityChange, DecisionStatus, WorkKind
from tests.review.conftest import windows

EVIDENCE = [{"kind": "time_range", "start_ms": 1_000, "end_ms": 2_000}]


@pytest.mark.parametrize("kind", [WorkKind.GOLD, WorkKind.CALIBRATION])
@pytest.mark.parametrize("action", ["restrict", "remove"])
def test_practice_decisions_leave_availability_alone(team, version, audit_log, kind, action):
    before = windows(version)
    log = audit_log()
    do_upsert_item(actor="system", title_version=version, policy_area="hate", kind=kind)
    item = do_claim_next_item(actor=team.rin, kind=kind)
    decision = do_decide(
        actor=team.rin,
        item=item,
        action=action,
        territories=("JP", "US", "GB") if action == "restrict" else (),
        clause_id="HAT-1",
        evidence=EVIDENCE,
        source="legal_order",  # high impact on real work
        automated_detection=False,
    )
    assert decision.status == DecisionStatus.FINAL and not decision.high_impact
    assert windows(version) == before
    assert not AvailabilityChange.objects.exists()
    made = [e for e in log.events() if e.verb == "review.decision.made"]
    assert made[-1].after["availability_ended"] == []
    with pytest.raises(ReviewError):
        do_open_appeal(actor=team.sora, decision=decision, reason="not fair")


def test_the_same_decision_on_real_work_does_end_availability(team, version):
    do_upsert_item(actor="system", title_version=version, policy_area="hate")
    item = do_claim_next_item(actor=team.rin)
    do_decide(
        actor=team.rin,
        item=item,
        action="restrict",
        territories=("JP",),
        clause_id="HAT-1",
        evidence=EVIDENCE,
        source="customer_report",
        automated_detection=False,
    )
    assert AvailabilityChange.objects.count() == 1
