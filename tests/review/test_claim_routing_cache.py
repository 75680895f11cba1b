"""A reviewer's routing is cached between claims (shinsa.review.actions.claiming) and never served stale:
the claim statement checks the routing's stamp and reads the exposure budget and queue gates itself."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shinsa.accounts.actions import do_grant_role, do_set_clearance, do_set_policy_areas
from shinsa.accounts.models import User
from shinsa.accounts.roles import Role
from shinsa.quality.actions import do_create_gold, do_create_onboarding_set
from shinsa.quality.models import OnboardingSet
from shinsa.review.actions import (
    do_claim_next_item,
    do_record_exposure,
    do_release_item,
    do_upsert_item,
)
from shinsa.review.models import Queue, WorkItem
from tests.cast import CAST_ACTOR
from tests.review.conftest import AREAS, make_version


def upsert(name: str, area: str = "hate", **options) -> WorkItem:
    return do_upsert_item(actor="system", title_version=make_version(name), policy_area=area, **options)


def test_a_policy_area_taken_away_after_a_claim_is_not_offered_again(team):
    first = upsert("first")
    assert do_claim_next_item(actor=team.rin).pk == first.pk  # the routing is cached now
    second = upsert("second")
    do_set_policy_areas(actor=CAST_ACTOR, user=team.rin, areas=[a for a in AREAS if a != "hate"])
    assert do_claim_next_item(actor=team.rin) is None
    assert WorkItem.objects.get(pk=second.pk).claimed_by_id is None
    do_set_policy_areas(actor=CAST_ACTOR, user=team.rin, areas=AREAS)
    assert do_claim_next_item(actor=team.rin).pk == second.pk


def test_a_lowered_clearance_applies_to_the_next_claim(team):
    plain = upsert("plain")
    assert do_claim_next_item(actor=team.rin).pk == plain.pk
    graphic = upsert("gore", "violence", graphic_category="violence_gore", graphic_level=2)
    do_set_clearance(actor=CAST_ACTOR, user=team.rin, category="violence_gore", level=1)
    assert do_claim_next_item(actor=team.rin) is None
    do_set_clearance(actor=CAST_ACTOR, user=team.rin, category="violence_gore", level=2)
    assert do_claim_next_item(actor=team.rin).pk == graphic.pk


def test_a_role_granted_after_a_claim_opens_the_work_it_allows(team):
    plain = upsert("plain")
    assert do_claim_next_item(actor=team.rin).pk == plain.pk
    order = upsert("order", legal_only=True)
    assert do_claim_next_item(actor=team.rin) is None  # legal-only: not for a reviewer
    do_grant_role(actor=CAST_ACTOR, user=team.rin, role=Role.LEGAL)
    # The cached routing finds nothing, its stamp no longer holds, the claim reads it again.
    assert do_claim_next_item(actor=User.objects.get(pk=team.rin.pk)).pk == order.pk


def test_an_onboarding_set_made_after_a_claim_gates_the_next(team, cast):
    kai = cast.kai  # a QA auditor: makes gold and onboarding sets
    first = upsert("first", "violence")
    assert do_claim_next_item(actor=team.rin).pk == first.pk
    do_release_item(actor=team.rin, item=first)
    gold = do_create_gold(
        actor=kai,
        title_version=make_version("gold"),
        policy_area="violence",
        action="approve",
        clause_id="VIO-1",
        ranges=[],
        rationale="Nothing graphic; approve under VIO-1.",
    )
    onboarding = do_create_onboarding_set(
        actor=kai, queue=Queue.objects.get(pk=first.queue_id), name="Violence basics", golds=[gold]
    )
    assert do_claim_next_item(actor=team.rin).pk == first.pk  # she joined before it is required from
    do_release_item(actor=team.rin, item=first)
    # Required from her start date on (an admin's edit): she must pass it before the queue serves her.
    OnboardingSet.objects.filter(pk=onboarding.pk).update(required_from=team.rin.date_joined)
    assert do_claim_next_item(actor=team.rin) is None


def test_the_exposure_budget_is_read_by_each_claim(team):
    graphic = upsert("gore", "violence", graphic_category="violence_gore", graphic_level=1)
    item = do_claim_next_item(actor=team.rin)
    assert item.pk == graphic.pk
    do_record_exposure(actor=team.rin, item=item, viewed_ms=240 * 60_000)  # weighted: over the budget
    do_release_item(actor=team.rin, item=item)
    assert do_claim_next_item(actor=team.rin) is None  # the same cached routing, the budget now spent


@pytest.mark.db_sensitive
def test_a_claim_with_the_cached_routing_is_one_statement(team):
    upsert("first")
    second = upsert("second")
    do_claim_next_item(actor=team.rin)
    with CaptureQueriesContext(connection) as captured:
        assert do_claim_next_item(actor=team.rin).pk == second.pk
    statements = [q["sql"] for q in captured.captured_queries]
    if connection.vendor == "postgresql":  # the claim writes its audit event itself, atomic alone
        assert len(statements) == 1 and "audited AS (INSERT" in statements[0]
    else:  # the claim and its audit event's INSERT in one transaction
        work = [sql for sql in statements if not sql.startswith(("BEGIN", "SAVEPOINT", "RELEASE"))]
        assert [sql.split()[0] for sql in work] == ["UPDATE", "INSERT"]
