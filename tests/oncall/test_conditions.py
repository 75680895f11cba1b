"""The conditions housekeeping checks: SLA breach risk, backlog over threshold, failed screening tasks."""

from __future__ import annotations

import datetime

from django.utils import timezone

from shinsa.oncall import conditions
from shinsa.oncall.conditions import check_conditions
from shinsa.oncall.models import Page
from shinsa.review.actions import do_upsert_item
from tests.review.conftest import make_version


def test_it_pages_sla_risk_and_backlog_once_per_queue(db, monkeypatch):
    version = make_version()
    soon = timezone.now() + datetime.timedelta(minutes=30)
    do_upsert_item(actor="system", title_version=version, policy_area="hate", due_by=soon)
    do_upsert_item(actor="system", title_version=make_version("film-2"), policy_area="hate")
    monkeypatch.setattr(conditions, "BACKLOG_THRESHOLD", 1)
    check_conditions()
    check_conditions()
    pages = {p.condition: p for p in Page.objects.all()}
    assert set(pages) == {"sla_risk:hate_global", "backlog:hate_global"}
    assert pages["sla_risk:hate_global"].detail["items"] == 1 and pages["sla_risk:hate_global"].repeats == 1
    assert pages["backlog:hate_global"].kind == "backlog"


def test_it_pages_a_failed_screening_task_but_not_other_failures(db):
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    for path in ("shinsa.catalog.tasks.fingerprint_asset_version", "tests.jobs.tasks_for_test.other"):
        DBTaskResult.objects.create(
            task_path=path,
            status="FAILED",
            args_kwargs={"args": [], "kwargs": {}},
            queue_name="default",
            backend_name="default",
            priority=0,
            finished_at=now,
            run_after=None,
        )
    check_conditions(now=now)
    assert [p.kind for p in Page.objects.all()] == ["screening_failed"]
    assert "fingerprint_asset_version" in Page.objects.get().summary
