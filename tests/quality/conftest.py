"""Fixtures for quality work: the review team and title versions (tests/review/conftest.py), decisions
made through the real review actions, and an auditor and a calibration lead with the skills they need."""

from __future__ import annotations

import pytest

from shinsa.accounts.roles import Role
from shinsa.review.actions import do_claim_next_item, do_decide, do_upsert_item
from tests.cast import make_person
from tests.review.conftest import audit_log, give_skills, make_version, team, version  # noqa: F401

CUT = [{"kind": "time_range", "start_ms": 61_000, "end_ms": 64_500}]
CLAUSES = {"hate": "HAT-1", "violence": "VIO-1", "sexual_content": "SEX-1"}


def decided(who, external_id, *, area="hate", action="approve", automated=False, kind="review"):
    """A decision by ``who`` on a fresh title version, through claim and decide."""
    title_version = make_version(external_id)
    do_upsert_item(actor="system", title_version=title_version, policy_area=area, kind=kind)
    item = do_claim_next_item(actor=who, kind=kind)
    assert item is not None and item.title_version_id == title_version.pk
    evidence = CUT if action != "approve" else []
    return do_decide(
        actor=who,
        item=item,
        action=action,
        territories=("JP",) if action == "restrict" else (),
        clause_id=CLAUSES[area],
        evidence=evidence,
        source="screening" if automated else "customer_report",
        automated_detection=automated,
    )


@pytest.fixture
def kai(cast):
    return give_skills(cast.kai)


@pytest.fixture
def yui(db):
    return give_skills(make_person("yui", Role.CALIBRATION_LEAD))
