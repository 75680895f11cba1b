"""Label items on PostgreSQL: many live ones on one cut (never merged), claimed by many processes with
SKIP LOCKED, none twice and none lost."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.db import connection

from shinsa.accounts.roles import Role
from shinsa.review.actions import do_sync_queues, do_upsert_item
from shinsa.review.models import WorkItem, WorkKind
from tests.cast import make_person
from tests.review.conftest import give_skills, make_version
from tests.review.test_claims_concurrency import ROOT, database_url

PROCESSES = 6
ITEMS = 120


@pytest.mark.db_sensitive
@pytest.mark.django_db(transaction=True)
def test_it_keeps_many_live_label_items_on_one_cut_and_gives_each_to_one_process():
    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED claims among processes are proven on PostgreSQL")
    do_sync_queues(actor="system")
    labelers = [give_skills(make_person(f"labeler{n}", Role.REVIEWER)) for n in range(PROCESSES)]
    version = make_version("one-cut")
    for _ in range(ITEMS):
        do_upsert_item(actor="labeling", title_version=version, policy_area="hate", kind=WorkKind.LABEL)
    assert WorkItem.objects.filter(title_version=version, kind=WorkKind.LABEL, status="open").count() == ITEMS
    env = os.environ | {"DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "shinsa.settings"}
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.review.claim_until_empty", person.username, "label"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for person in labelers
    ]
    claimed: list[int] = []
    for process in processes:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        claimed.extend(json.loads(out))
    assert sorted(claimed) == sorted(WorkItem.objects.values_list("id", flat=True))  # each once, none lost
