"""Upserting work items: dedup merge, re-scoring, refusals."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from shinsa.accounts.errors import MissingPermission
from shinsa.review.actions import IncomingReport, IncomingSignal, do_sync_queues, do_upsert_item
from shinsa.review.errors import ReviewError
from shinsa.review.models import Queue, WorkItem, WorkItemReport, WorkItemSignal


def test_it_syncs_queues_from_the_policy_files(db):
    changed = do_sync_queues(actor="system")
    assert "hate_ja" in changed
    assert Queue.objects.get(pk="hate_ja").languages == [["ja", "N1"]]
    assert do_sync_queues(actor="system") == []


def test_it_merges_duplicates_into_one_open_item_and_rescores_it(team, version, audit_log):
    log = audit_log()
    first = do_upsert_item(
        actor="screening",
        title_version=version,
        policy_area="hate",
        territory="JP",
        signal=IncomingSignal(source="screening:lexicon", ref="hit-1", confidence=0.4),
    )
    merged = do_upsert_item(
        actor="system",
        title_version=version,
        policy_area="hate",
        report=IncomingReport(reason="hate_speech", count=3),
    )
    again = do_upsert_item(
        actor="screening",
        title_version=version,
        policy_area="hate",
        signal=IncomingSignal(source="screening:lexicon", ref="hit-1", confidence=0.9),
    )
    assert first.pk == merged.pk == again.pk
    item = WorkItem.objects.get(pk=first.pk)
    assert (item.signal_count, item.report_count, item.max_confidence) == (2, 3, 0.9)
    assert WorkItemSignal.objects.get(item=item).count == 2
    assert WorkItemReport.objects.get(item=item).count == 3
    assert item.priority_score > first.priority_score
    assert item.rank_ms < first.rank_ms
    assert item.queue_id == "hate_ja"
    assert log.verbs() == ["review.item.created", "review.item.merged", "review.item.merged"]


def test_it_keeps_kinds_apart(team, version):
    review = do_upsert_item(actor="system", title_version=version, policy_area="hate")
    gold = do_upsert_item(actor="system", title_version=version, policy_area="hate", kind="gold")
    assert review.pk != gold.pk


def test_it_makes_sensitive_japanese_need_n1(team, version):
    item = do_upsert_item(actor="system", title_version=version, policy_area="hate", language="ja")
    assert (item.required_language, item.required_level) == ("ja", "N2")
    item = do_upsert_item(actor="system", title_version=version, policy_area="hate", sensitive=True)
    assert (item.required_language, item.required_level, item.sensitive) == ("ja", "N1", True)


def test_it_reports_every_problem_and_stores_nothing(team, version):
    with pytest.raises(ReviewError) as refused:
        do_upsert_item(
            actor="system",
            title_version=version,
            policy_area="hate",
            kind="gossip",
            territory="XX",
            report=IncomingReport(reason="scam", count=0),
            graphic_category="nope",
            graphic_level=5,
        )
    assert len(refused.value.messages) == 6
    assert not WorkItem.objects.exists()


def test_it_refuses_the_outsider(team, version):
    with pytest.raises(MissingPermission):
        do_upsert_item(actor=team.olive, title_version=version, policy_area="hate")


@pytest.mark.db_sensitive
def test_it_allows_one_live_item_per_key_in_the_database(team, version):
    item = do_upsert_item(actor="system", title_version=version, policy_area="hate")
    duplicate = WorkItem.objects.get(pk=item.pk)
    duplicate.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    WorkItem.objects.filter(pk=item.pk).update(status="closed")
    duplicate.save()  # a closed item no longer holds the key


@pytest.mark.db_sensitive
@pytest.mark.django_db(transaction=True)
def test_it_merges_concurrent_upserts_into_one_item(cast, version):
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    do_sync_queues(actor="system")
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def report() -> None:
        try:
            barrier.wait()
            do_upsert_item(
                actor="system",
                title_version=version,
                policy_area="hate",
                report=IncomingReport(reason="hate_speech"),
            )
        except BaseException as error:  # noqa: BLE001 - collected for the assertion
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=report) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    item = WorkItem.objects.get(title_version=version, policy_area="hate")
    assert item.report_count == 8


def test_it_refuses_an_unknown_severity(team, version):
    with pytest.raises(ReviewError) as refused:
        do_upsert_item(actor="system", title_version=version, policy_area="hate", severity="extreme")
    assert refused.value.messages == ("Unknown severity “extreme”.",)
