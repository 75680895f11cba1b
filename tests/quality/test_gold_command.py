"""`shinsa gold place`: top up the live queues with gold at a rate."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from shinsa.quality.actions import do_create_gold
from shinsa.review.actions import do_upsert_item
from shinsa.review.models import WorkItem, WorkKind
from tests.quality.conftest import make_version


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("gold", *args, stdout=out)
    return out.getvalue()


def test_it_places_gold_at_the_rate_and_says_how_many(team, kai):
    for i in range(2):
        do_create_gold(
            actor=kai,
            title_version=make_version(f"g-{i}"),
            policy_area="hate",
            action="approve",
            clause_id="HAT-1",
            rationale="Quoted in a news report.",
        )
    for i in range(6):
        do_upsert_item(actor="system", title_version=make_version(f"w-{i}"), policy_area="hate")
    assert json.loads(run("place", "--rate", "25", "--json"))["placed"] == 2  # 2 / (6 + 2)
    assert WorkItem.objects.filter(kind=WorkKind.GOLD).count() == 2
    assert run("place") == "0 gold items placed (rate 5%).\n"


def test_it_refuses_a_rate_out_of_range(db):
    with pytest.raises(CommandError, match="--rate must be at least 0 and below 100."):
        run("place", "--rate", "100")
