"""The claim context read in one query agrees with the accounts' own reads."""

from __future__ import annotations

import pytest

from shinsa.accounts.queries import skill_profile_for
from shinsa.review.actions import (
    do_claim_next_item,
    do_decide,
    do_record_exposure,
    do_upsert_item,
    exposure_budget_spent,
)
from shinsa.review.queries import claim_context


@pytest.mark.db_sensitive
def test_it_reads_the_claim_context_in_one_query(team, version, django_assert_num_queries):
    assert claim_context(team.olive.pk).profile == skill_profile_for(team.olive)
    with django_assert_num_queries(1):
        context = claim_context(team.rin.pk)
    assert context.profile == skill_profile_for(team.rin)
    assert (context.exposure_budget_spent, context.last_decision_high_severity) == (False, False)
    do_upsert_item(
        actor="system",
        title_version=version,
        policy_area="violence",
        graphic_category="violence_gore",
        graphic_level=1,
    )
    item = do_claim_next_item(actor=team.rin)
    do_record_exposure(actor=team.rin, item=item, viewed_ms=200 * 60_000)
    do_decide(
        actor=team.rin,
        item=item,
        action="approve",
        clause_id="VIO-1",
        source="proactive",
        automated_detection=False,
    )
    context = claim_context(team.rin.pk)
    assert context.exposure_budget_spent is exposure_budget_spent(team.rin) is True
    assert context.last_decision_high_severity is True
