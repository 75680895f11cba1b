"""Many real processes claiming from one queue on PostgreSQL: no item twice, none lost."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from shinsa.accounts.roles import Role
from shinsa.review.actions import do_sync_queues, do_upsert_item
from shinsa.review.models import ItemStatus, WorkItem
from tests.cast import make_person
from tests.review.conftest import give_skills, make_version

PROCESSES = 8
ITEMS = 240
ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.db_sensitive
@pytest.mark.django_db(transaction=True)
def test_it_gives_every_item_to_exactly_one_of_many_processes():
    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED claims among processes are proven on PostgreSQL")
    do_sync_queues(actor="system")
    reviewers = [give_skills(make_person(f"claimer{n}", Role.REVIEWER)) for n in range(PROCESSES)]
    for n in range(ITEMS):
        do_upsert_item(actor="system", title_version=make_version(f"race-{n}"), policy_area="hate")
    env = os.environ | {"DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "shinsa.settings"}
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.review.claim_until_empty", reviewer.username],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for reviewer in reviewers
    ]
    claimed_by: dict[int, list[int]] = {}
    for reviewer, process in zip(reviewers, processes, strict=True):
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        for item_id in json.loads(out):
            claimed_by.setdefault(item_id, []).append(reviewer.pk)
    double = {item_id: who for item_id, who in claimed_by.items() if len(who) > 1}
    assert double == {}
    items = {item.pk: item for item in WorkItem.objects.all()}
    assert set(claimed_by) == set(items)  # none lost
    for item_id, (reviewer_id,) in claimed_by.items():
        assert items[item_id].status == ItemStatus.CLAIMED
        assert items[item_id].claimed_by_id == reviewer_id
    assert len({who[0] for who in claimed_by.values()}) > 1  # the work really was shared
