"""Claims: order, eligibility in SQL, leases, release, skip, reassign, hold, refusals."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from shinsa.accounts.errors import MissingPermission
from shinsa.review import actions
from shinsa.review.actions import (
    IncomingReport,
    do_claim_next_item,
    do_decide,
    do_expire_leases,
    do_heartbeat_claim,
    do_hold_item_for,
    do_reassign_item,
    do_record_exposure,
    do_record_item_view,
    do_release_item,
    do_skip_item,
    do_upsert_item,
)
from shinsa.review.errors import ReviewError
from shinsa.review.models import ItemStatus, WorkItem
from shinsa.review.routing import is_eligible
from tests.review.conftest import give_skills, make_version


def upsert(version, area="hate", **options) -> WorkItem:
    return do_upsert_item(actor="system", title_version=version, policy_area=area, **options)


def test_it_claims_in_rank_order_and_each_item_once(team):
    low = upsert(make_version("a"), "subtitle_quality", language="ja")
    high = upsert(make_version("b"), "hate")
    reported = upsert(make_version("c"), "hate", report=IncomingReport(reason="hate_speech", count=5))
    claimed = [do_claim_next_item(actor=team.rin) for _ in range(3)]
    assert [item.pk for item in claimed] == [reported.pk, high.pk, low.pk]
    assert all(item.status == ItemStatus.CLAIMED and item.claimed_by_id == team.rin.pk for item in claimed)
    assert do_claim_next_item(actor=team.rin) is None


def test_it_offers_only_what_the_routing_rules_allow(team, cast):
    versions = [make_version(f"v{n}") for n in range(6)]
    items = [
        upsert(versions[0], "hate", territory="JP"),  # hate_ja: N1
        upsert(versions[1], "violence", graphic_category="violence_gore", graphic_level=3),
        upsert(versions[2], "violence", graphic_category="violence_gore", graphic_level=2),
        upsert(versions[3], "hate", territory="FR", sensitive=True),  # needs FR
        upsert(versions[4], "child_safety"),  # area not held
        upsert(versions[5], "subtitle_quality", language="ja", sensitive=True),
    ]
    weak = give_skills(
        team.rin,
        languages={"ja": "N2", "en": "C1"},
        territories=("JP",),
    )
    routing = actions.routing_for(weak)
    expected = {item.pk for item in items if is_eligible(routing, actions._needs(item))}
    got = set()
    while (item := do_claim_next_item(actor=weak)) is not None:
        got.add(item.pk)
    assert got == expected == {items[2].pk}


def test_it_stops_graphic_items_when_the_budget_is_spent(team, version):
    graphic = upsert(version, "violence", graphic_category="violence_gore", graphic_level=1)
    plain = upsert(make_version("plain"), "hate")
    first = do_claim_next_item(actor=team.rin)
    assert first.pk == graphic.pk  # high severity and graphic ranks first
    do_record_exposure(actor=team.rin, item=first, viewed_ms=240 * 60_000)  # weighted ×1.5: over budget
    do_release_item(actor=team.rin, item=first)
    assert actions.exposure_budget_spent(team.rin)
    assert do_claim_next_item(actor=team.rin).pk == plain.pk
    assert do_claim_next_item(actor=team.rin) is None


def test_it_avoids_high_severity_back_to_back(team):
    high_a = upsert(make_version("a"), "hate", report=IncomingReport(reason="hate_speech", count=7))
    high_b = upsert(make_version("b"), "hate", report=IncomingReport(reason="hate_speech", count=7))
    medium = upsert(make_version("c"), "maturity_rating")
    item = do_claim_next_item(actor=team.rin)
    assert item.pk == high_a.pk
    do_decide(
        actor=team.rin,
        item=item,
        action="approve",
        clause_id="HAT-1",
        source="screening",
        automated_detection=True,
    )
    assert do_claim_next_item(actor=team.rin).pk == medium.pk
    assert WorkItem.objects.get(pk=high_b.pk).status == ItemStatus.OPEN


def test_it_releases_skips_and_never_offers_a_skipped_item_again(team, version, audit_log):
    log = audit_log()
    item = upsert(version)
    claimed = do_claim_next_item(actor=team.rin)
    do_record_item_view(actor=team.rin, item=claimed)
    do_release_item(actor=team.rin, item=claimed)
    assert WorkItem.objects.get(pk=item.pk).status == ItemStatus.OPEN
    again = do_claim_next_item(actor=team.rin)
    with pytest.raises(ReviewError):
        do_skip_item(actor=team.rin, item=again, reason=" ")
    do_skip_item(actor=team.rin, item=again, reason="I know the director")
    assert do_claim_next_item(actor=team.rin) is None
    assert do_claim_next_item(actor=team.sora).pk == item.pk
    assert log.verbs()[1:] == [
        "review.item.claimed",
        "review.item.viewed",
        "review.item.released",
        "review.item.claimed",
        "review.item.skipped",
        "review.item.claimed",
    ]


def test_it_extends_the_lease_and_returns_lapsed_items(team, version):
    upsert(version)
    item = do_claim_next_item(actor=team.rin)
    first_lease = item.lease_expires_at
    assert do_heartbeat_claim(actor=team.rin, item=item).lease_expires_at >= first_lease
    with pytest.raises(ReviewError):
        do_heartbeat_claim(actor=team.sora, item=item)
    assert do_expire_leases(now=timezone.now()) == 0
    assert do_expire_leases(now=timezone.now() + actions.LEASE + datetime.timedelta(seconds=1)) == 1
    assert WorkItem.objects.get(pk=item.pk).status == ItemStatus.OPEN
    with pytest.raises(ReviewError):
        do_release_item(actor=team.rin, item=item)


def test_it_reassigns_and_holds_for_eligible_people_only(team, version, cast):
    item = upsert(version)
    do_hold_item_for(actor=team.mei, item=item, person=team.sora)
    assert do_claim_next_item(actor=team.rin) is None
    assert do_claim_next_item(actor=team.sora).pk == item.pk
    moved = do_reassign_item(actor=team.sora, item=item, to=team.rin)
    assert moved.claimed_by_id == team.rin.pk
    with pytest.raises(ReviewError):
        do_reassign_item(actor=team.mei, item=item, to=cast.kai)  # no review permission, no skills
    with pytest.raises(MissingPermission):
        do_reassign_item(actor=team.rin, item=item, to=team.sora)


def test_it_refuses_the_outsider_everywhere(team, version):
    item = upsert(version)
    with pytest.raises(MissingPermission):
        do_claim_next_item(actor=team.olive)
    for attempt in (
        lambda: do_release_item(actor=team.olive, item=item),
        lambda: do_skip_item(actor=team.olive, item=item, reason="x"),
        lambda: do_heartbeat_claim(actor=team.olive, item=item),
        lambda: do_record_item_view(actor=team.olive, item=item),
        lambda: do_hold_item_for(actor=team.olive, item=item, person=team.rin),
        lambda: do_reassign_item(actor=team.olive, item=item, to=team.rin),
    ):
        with pytest.raises(MissingPermission):
            attempt()
    assert WorkItem.objects.get(pk=item.pk).status == ItemStatus.OPEN


def test_it_has_the_worker_return_lapsed_items_on_its_rounds(team, version):
    from shinsa.jobs.housekeeping import Housekeeping, WorkerIdentity

    upsert(version)
    item = do_claim_next_item(actor=team.rin)
    WorkItem.objects.filter(pk=item.pk).update(
        lease_expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    identity = WorkerIdentity(worker_id="w", pid=1, host="h", backend_name="default")
    Housekeeping(
        identity=identity,
        every=datetime.timedelta(seconds=1),
        stale_after=datetime.timedelta(seconds=30),
        max_attempts=3,
    ).tick()
    assert WorkItem.objects.get(pk=item.pk).status == ItemStatus.OPEN


@pytest.mark.db_sensitive
def test_a_claim_takes_one_statement_and_is_audited_with_its_times(team, version):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from shinsa.audit.models import AuditEvent

    upsert(version)
    with CaptureQueriesContext(connection) as captured:
        item = do_claim_next_item(actor=team.rin)
    statements = [q["sql"] for q in captured.captured_queries]
    claim_starts = ("UPDATE review_workitem", "WITH claimed")
    assert len([sql for sql in statements if sql.lstrip().startswith(claim_starts)]) == 1
    # PostgreSQL: the audit event is written by the claim statement itself, atomic alone (no transaction
    # statements around it); elsewhere by one INSERT in the action's transaction.
    inserts = [sql for sql in statements if sql.startswith('INSERT INTO "audit_auditevent"')]
    if connection.vendor == "postgresql":
        assert not inserts
        assert not [sql for sql in statements if "SAVEPOINT" in sql]
    else:
        assert len(inserts) == 1
    event = AuditEvent.objects.get(verb="review.item.claimed")
    assert (event.object_type, event.object_id, event.actor_id) == (
        "review.workitem",
        str(item.pk),
        team.rin.pk,
    )
    assert event.after == {
        "claimed_at": item.claimed_at.isoformat(),
        "lease_expires_at": item.lease_expires_at.isoformat(),
    }
    assert event.occurred_at.microsecond % 1000 == 0
