"""Counts of open work stop at a cap, so the queue and home pages never scan a million-item backlog, and
read "N+" when the cap is reached (the cap is lowered here so a handful of items reaches it)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from shinsa.review import counting
from shinsa.review.actions import do_claim_next_item
from shinsa.review.console import queue_rows, special_counts
from shinsa.review.models import ItemStatus, WorkItem
from tests.review.conftest import make_version
from tests.review.console_world import make_item


def _items(count: int) -> list[WorkItem]:
    return [make_item(make_version(f"capped-{number}"), ref=f"capped-{number}") for number in range(count)]


@pytest.mark.db_sensitive
def test_queue_rows_cap_open_and_overdue_and_keep_the_next_deadline(team, monkeypatch):
    items = _items(5)
    past = timezone.now() - datetime.timedelta(hours=1)
    for offset, item in enumerate(items[:4]):
        WorkItem.objects.filter(pk=item.pk).update(due_at=past - datetime.timedelta(minutes=offset))
    WorkItem.objects.filter(pk=items[4].pk).update(due_at=timezone.now() + datetime.timedelta(days=1))
    queue_id = items[0].queue_id

    [exact] = [row for row in queue_rows("en") if row.id == queue_id]
    assert (exact.open, exact.overdue) == (5, 4)
    assert exact.next_due == WorkItem.objects.get(pk=items[3].pk).due_at

    monkeypatch.setattr(counting, "COUNT_CAP", 3)
    [capped] = [row for row in queue_rows("en") if row.id == queue_id]
    assert (capped.open, capped.overdue) == (4, 4)  # stopped one past the cap
    assert capped.next_due == exact.next_due
    assert counting.count_label(capped.open) == "3+"
    assert counting.count_label(3) == "3"

    # Claimed items leave the counts.
    claimed = [do_claim_next_item(actor=team.rin) for _ in range(2)]
    assert all(item is not None and item.status == ItemStatus.CLAIMED for item in claimed)
    [after] = [row for row in queue_rows("en") if row.id == queue_id]
    assert after.open == 3


@pytest.mark.db_sensitive
def test_special_counts_stop_at_the_cap(team, monkeypatch):
    for item in _items(4):
        WorkItem.objects.filter(pk=item.pk).update(kind="appeal")
    assert special_counts(team.rin)["appeals"] == 4
    monkeypatch.setattr(counting, "COUNT_CAP", 2)
    assert special_counts(team.rin)["appeals"] == 3


def test_the_queue_page_shows_a_capped_count(team, monkeypatch):
    _items(4)
    monkeypatch.setattr(counting, "COUNT_CAP", 2)
    client = Client()
    client.force_login(team.rin)
    page = client.get("/review/").content.decode()
    assert '<td class="numeric">2+</td>' in page
