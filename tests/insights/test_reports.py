"""Customer reports: intake by action, API and public form; merging into review items; flagging."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from shinsa.insights.actions import ReportInput, do_resolve_flagged_report, do_submit_report
from shinsa.insights.errors import InsightsError
from shinsa.insights.models import CustomerReport, ReportStatus
from shinsa.review.models import WorkItem


def report(version, reporter="viewer-1", **fields) -> ReportInput:  # noqa: ANN001
    base = {"title": version.title.external_id, "reason": "graphic_violence", "reporter": reporter}
    return ReportInput(**(base | fields))


def test_it_merges_reports_into_one_item_whose_priority_rises_with_volume(version, audit_log, db):
    log = audit_log()
    first = do_submit_report(actor="reports", data=report(version, text="too gory", territory="jp"))
    item = WorkItem.objects.get(pk=first.item_id)
    assert (first.status, first.policy_area, first.territory, item.policy_area) == (
        "merged",
        "violence",
        "JP",
        "violence",
    )
    score = item.priority_score
    now = timezone.now()
    for n in range(2, 5):
        do_submit_report(
            actor="reports",
            data=report(version, reporter=f"viewer-{n}"),
            now=now + datetime.timedelta(minutes=20 * n),
        )
    item.refresh_from_db()
    assert WorkItem.objects.filter(title_version=version, policy_area="violence").count() == 1
    assert item.report_count == 4 and item.priority_score > score
    assert "insights.report.received" in log.verbs()


def test_it_raises_priority_with_reach(version, db):
    quiet = do_submit_report(actor="reports", data=report(version))
    before = WorkItem.objects.get(pk=quiet.item_id).priority_score
    do_submit_report(
        actor="reports",
        data=report(version, reporter="v2", audience_reach=2_000_000),
        now=timezone.now() + datetime.timedelta(hours=2),
    )
    assert WorkItem.objects.get(pk=quiet.item_id).priority_score > before


def test_it_refuses_bad_reports_naming_the_field_and_stores_nothing(version, db):
    with pytest.raises(InsightsError) as error:
        do_submit_report(actor="reports", data=report(version, reason="nope", territory="XX", language="fr"))
    assert [field for field, _ in error.value.problems] == ["reason", "territory", "language"]
    with pytest.raises(InsightsError) as error:
        do_submit_report(actor="reports", data=report(version, title="missing"))
    assert error.value.problems[0][0] == "title"
    assert not CustomerReport.objects.exists() and not WorkItem.objects.exists()


def test_it_flags_a_coordinated_burst_without_touching_any_item(version, audit_log, db):
    log = audit_log()
    now = timezone.now()
    results = [
        do_submit_report(
            actor="reports",
            data=report(
                version,
                reporter=f"bot-{n % 4}",
                text="Remove this NOW",
                reporter_since=now - datetime.timedelta(days=1),
            ),
            now=now + datetime.timedelta(seconds=5 * n),
        )
        for n in range(8)
    ]
    flagged = [r for r in results if r.status == ReportStatus.FLAGGED]
    assert flagged and {"identical_text", "new_accounts"} <= set(flagged[-1].suspicions)
    assert all(r.item_id is None for r in flagged)
    item = WorkItem.objects.get(title_version=version)
    assert item.report_count == len(results) - len(flagged)
    assert "insights.report.flagged" in log.verbs()


def test_a_manager_releases_or_dismisses_a_flagged_report(version, cast, db):
    now = timezone.now()
    for n in range(8):
        last = do_submit_report(
            actor="reports",
            data=report(version, reporter=f"bot-{n % 2}"),
            now=now + datetime.timedelta(seconds=n),
        )
    assert last.status == ReportStatus.FLAGGED
    released = do_resolve_flagged_report(actor=cast.mei, report=last, release=True)
    assert released.status == ReportStatus.RELEASED and released.item_id is not None
    with pytest.raises(InsightsError):
        do_resolve_flagged_report(actor=cast.mei, report=last, release=False)


def test_the_api_takes_a_report_and_answers_errors_in_the_stable_shape(version, cast, db):
    client = Client()
    client.force_login(cast.mei)
    body = {"title": version.title.external_id, "reason": "hate_speech", "reporter": "v-1", "language": "ja"}
    created = client.post("/api/v1/reports", body, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "merged" and created.json()["policy_area"] == "hate"
    bad = client.post("/api/v1/reports", body | {"reason": "nope"}, content_type="application/json")
    assert bad.status_code == 422
    assert bad.json() == {
        "error": {"code": "invalid_report", "message": "Unknown report reason “nope”.", "field": "reason"}
    }
    assert Client().post("/api/v1/reports", body, content_type="application/json").status_code == 401


def test_the_public_form_takes_a_report_without_signing_in(version, db):
    client = Client()
    page = client.get("/report/")
    assert page.status_code == 200 and b"graphic_violence" in page.content
    sent = client.post(
        "/report/",
        {
            "title": version.title.external_id,
            "reason": "graphic_violence",
            "timecode": "0:01:30",
            "language": "en",
            "text": "blood",
        },
    )
    assert sent.status_code == 200 and b"report-received" in sent.content
    stored = CustomerReport.objects.get()
    assert (
        stored.channel == "form" and stored.timecode_ms == 90_000 and stored.reporter_ref.startswith("form-")
    )
    wrong = client.post("/report/", {"title": "nope", "reason": "graphic_violence"})
    assert b"No title has the id" in wrong.content and CustomerReport.objects.count() == 1


def test_an_auditor_records_recall_audits_of_a_random_unflagged_sample(version, cast, audit_log, db):
    from shinsa.insights.actions import do_sample_recall_audits
    from shinsa.insights.models import RecallAudit
    from tests.review.conftest import make_version

    log = audit_log()
    make_version("film-2")
    drawn = do_sample_recall_audits(actor="cli", policy_area="violence", size=5, seed=1)
    assert len(drawn) == 2  # only two versions exist, neither flagged
    client = Client()
    client.force_login(cast.kai)
    assert b"film-2" in client.get("/insights/recall/").content
    client.post(f"/insights/recall/{drawn[0].pk}", {"violating": "1"})
    drawn[0].refresh_from_db()
    assert drawn[0].violating is True and drawn[0].audited_by == cast.kai
    assert RecallAudit.objects.filter(violating__isnull=True).count() == 1
    assert {"insights.recall.sampled", "insights.recall.audited"} <= set(log.verbs())
