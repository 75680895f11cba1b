"""Fixtures for insights: the review team and a version (from the review tests), and decisions made
through the real review actions."""

from __future__ import annotations

import datetime

import pytest

from shinsa.review.actions import (
    do_claim_next_item,
    do_decide,
    do_decide_appeal,
    do_open_appeal,
    do_upsert_item,
)
from shinsa.review.models import Decision
from tests.accounts.conftest import audit_log  # noqa: F401 - shared fixture
from tests.review.conftest import make_version, team, version  # noqa: F401 - shared fixtures

CLAUSES = {"hate": "HAT-1", "violence": "VIO-1", "subtitle_quality": "SUB-1"}


def decide(
    team_, version_, *, area="hate", action="approve", note="", at=None, territories=(), **extra
) -> Decision:  # noqa: ANN001
    """Create (or merge into) the item, claim it as rin, and decide it; ``at`` moves the decision time
    (the review actions always use the current time)."""
    do_upsert_item(actor="system", title_version=version_, policy_area=area, **extra)
    item = do_claim_next_item(actor=team_.rin)
    assert item is not None
    evidence = [{"kind": "note", "note": note or "seen"}] if action != "approve" else []
    decision = do_decide(
        actor=team_.rin,
        item=item,
        action=action,
        clause_id=CLAUSES[area],
        territories=territories,
        evidence=evidence,
        note=note,
        source="customer_report",
        automated_detection=False,
    )
    if at is not None:
        Decision.objects.filter(pk=decision.pk).update(decided_at=at)
        decision.refresh_from_db()
    return decision


def utc(day: str, hour: int = 12) -> datetime.datetime:
    return datetime.datetime.combine(
        datetime.date.fromisoformat(day), datetime.time(hour), tzinfo=datetime.UTC
    )


@pytest.fixture
def decided(team, version):  # noqa: ANN001, F811 - the review fixtures
    return lambda **options: decide(team, version, **options)


def overturn(team_, decision: Decision) -> None:  # noqa: ANN001
    """Appeal the decision and have sora (not its reviewer) overturn it."""
    appeal = do_open_appeal(actor="system", decision=decision, reason="the rights holder disagrees")
    assert do_claim_next_item(actor=team_.sora, kind="appeal") is not None
    do_decide_appeal(actor=team_.sora, appeal=appeal, outcome="overturned", note="context missed")
