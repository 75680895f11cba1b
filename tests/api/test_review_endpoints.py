"""Review over the API: claim, heartbeat, decide with evidence, four eyes, escalate, skip, appeals, scopes."""

from __future__ import annotations

import pytest

from shinsa.review.actions import do_upsert_item
from shinsa.review.models import Decision, DecisionStatus, ItemStatus, WorkItem
from tests.review.conftest import windows

pytestmark = pytest.mark.django_db

CUT = [{"kind": "time_range", "start_ms": 61_000, "end_ms": 64_500}, {"kind": "note", "note": "slur"}]


def _post(client, path, headers, body=None):
    return client.post(path, body or {}, content_type="application/json", headers=headers)


def test_a_reviewer_claims_heartbeats_and_decides_with_evidence(client, team, version, token_for):
    do_upsert_item(actor="system", title_version=version, policy_area="hate")
    rin = token_for(team.rin, scopes=("read", "review"))
    queues = client.get("/api/v1/review/queues", headers=rin).json()
    assert sum(q["open"] for q in queues["items"]) == 1
    claimed = _post(client, "/api/v1/review/claims", rin)
    assert claimed.status_code == 200, claimed.content
    item = claimed.json()
    assert item["status"] == "claimed" and item["claimed_by"] == "rin" and item["title"] == "film-1"
    assert _post(client, "/api/v1/review/claims", rin).status_code == 204  # nothing else waits
    assert _post(client, f"/api/v1/review/items/{item['id']}/heartbeat", rin).status_code == 200
    mine = client.get("/api/v1/review/items?mine=true", headers=rin).json()
    assert [row["id"] for row in mine["items"]] == [item["id"]]

    bad = _post(
        client,
        f"/api/v1/review/items/{item['id']}/decision",
        rin,
        {"action": "restrict", "clause_id": "HAT-1", "territories": ["JP"], "source": "customer_report"},
    )
    assert bad.status_code == 422
    assert bad.json()["error"]["code"] == "invalid_review_change"
    assert WorkItem.objects.get(pk=item["id"]).status == ItemStatus.CLAIMED  # nothing stored

    made = _post(
        client,
        f"/api/v1/review/items/{item['id']}/decision",
        rin,
        {
            "action": "restrict",
            "clause_id": "HAT-1",
            "territories": ["JP"],
            "evidence": CUT,
            "source": "customer_report",
        },
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["status"] == "final" and body["territories"] == ["JP"]
    assert [row["kind"] for row in body["evidence"]] == ["time_range", "note"]
    assert ("JP", "2020-01-01", None) not in windows(version)


def test_high_impact_waits_for_a_second_person(client, team, version, token_for):
    do_upsert_item(actor="system", title_version=version, policy_area="hate")
    rin, sora = token_for(team.rin), token_for(team.sora)
    item = _post(client, "/api/v1/review/claims", rin).json()
    decision = _post(
        client,
        f"/api/v1/review/items/{item['id']}/decision",
        rin,
        {"action": "remove", "clause_id": "HAT-1", "evidence": CUT, "source": "customer_report"},
    ).json()
    assert decision["status"] == "pending_confirmation" and decision["high_impact"]
    pending = client.get("/api/v1/review/decisions?status=pending_confirmation", headers=sora).json()
    assert [row["id"] for row in pending["items"]] == [decision["id"]]
    # rin may not confirm at all (no permission); sora confirms.
    assert _post(client, f"/api/v1/review/decisions/{decision['id']}/confirm", rin).status_code == 403
    confirmed = _post(client, f"/api/v1/review/decisions/{decision['id']}/confirm", sora, {"note": "ok"})
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "final"
    again = _post(client, f"/api/v1/review/decisions/{decision['id']}/confirm", sora)
    assert again.status_code == 422 and again.json()["error"]["code"] == "invalid_review_change"


def test_escalate_skip_and_release(client, team, version, token_for):
    do_upsert_item(actor="system", title_version=version, policy_area="hate")
    rin = token_for(team.rin)
    item = _post(client, "/api/v1/review/claims", rin).json()
    escalated = _post(
        client, f"/api/v1/review/items/{item['id']}/escalate", rin, {"clause_id": "HAT-1", "reason": "policy"}
    )
    assert escalated.status_code == 201 and escalated.json()["action"] == "escalate"
    assert WorkItem.objects.get(pk=item["id"]).escalation_tier == 1
    # Not held any more: release and skip are refused with the stable body.
    refused = _post(client, f"/api/v1/review/items/{item['id']}/release", rin)
    assert refused.status_code == 422 and refused.json()["error"]["message"]
    sora = token_for(team.sora)
    held = _post(client, "/api/v1/review/claims", sora).json()
    assert held["id"] == item["id"]
    assert _post(client, f"/api/v1/review/items/{item['id']}/skip", sora, {"reason": ""}).status_code == 422
    skipped = _post(client, f"/api/v1/review/items/{item['id']}/skip", sora, {"reason": "conflict"})
    assert skipped.status_code == 200 and skipped.json()["status"] == "open"
    assert _post(client, "/api/v1/review/claims", sora).status_code == 204  # never offered again


def test_appeals_open_and_decide(client, team, version, token_for):
    do_upsert_item(actor="system", title_version=version, policy_area="hate")
    rin, sora = token_for(team.rin), token_for(team.sora)
    item = _post(client, "/api/v1/review/claims", rin).json()
    decision = _post(
        client,
        f"/api/v1/review/items/{item['id']}/decision",
        rin,
        {
            "action": "restrict",
            "clause_id": "HAT-1",
            "territories": ["JP"],
            "evidence": CUT,
            "source": "proactive",
        },
    ).json()
    appeal = _post(client, f"/api/v1/review/decisions/{decision['id']}/appeals", rin, {"reason": "news"})
    assert appeal.status_code == 201, appeal.content
    appeal_id = appeal.json()["id"]
    assert client.get("/api/v1/review/appeals?open=true", headers=rin).json()["total"] == 1
    assert _post(client, "/api/v1/review/claims?kind=appeal", sora).status_code == 200
    decided = _post(client, f"/api/v1/review/appeals/{appeal_id}/decision", sora, {"outcome": "overturned"})
    assert decided.status_code == 200 and decided.json()["outcome"] == "overturned"
    assert Decision.objects.get(pk=decision["id"]).status == DecisionStatus.OVERTURNED
    assert ("JP", "2020-01-01", None) in windows(version)


def test_scopes_narrow_a_token(client, team, version, token_for):
    do_upsert_item(actor="system", title_version=version, policy_area="hate")
    reader = token_for(team.rin, "reader", scopes=("read",))
    assert client.get("/api/v1/review/items", headers=reader).status_code == 200
    refused = _post(client, "/api/v1/review/claims", reader)
    assert refused.status_code == 403
    assert refused.json() == {
        "error": {
            "code": "insufficient_scope",
            "message": "this token lacks the review scope",
            "field": "scope",
        }
    }
    assert WorkItem.objects.get().status == ItemStatus.OPEN


def test_pagination_and_filters_are_checked(client, team, version, token_for):
    rin = token_for(team.rin)
    assert client.get("/api/v1/review/items?per_page=0", headers=rin).json()["error"]["field"] == "per_page"
    assert client.get("/api/v1/review/items?status=nope", headers=rin).status_code == 422
    assert client.get("/api/v1/review/items/999999", headers=rin).json()["error"]["code"] == "not_found"
    page = client.get("/api/v1/review/decisions?page=2&per_page=1", headers=rin).json()
    assert page == {"items": [], "page": 2, "pages": 1, "total": 0}


def test_nul_characters_and_repeated_parameters_are_refused(client, team, version, token_for):
    do_upsert_item(actor="system", title_version=version, policy_area="hate")
    rin = token_for(team.rin)
    item = _post(client, "/api/v1/review/claims", rin).json()
    nul = _post(client, f"/api/v1/review/items/{item['id']}/skip", rin, {"reason": "a\u0000b"})
    assert nul.status_code == 422 and nul.json()["error"]["code"] == "invalid_text"
    assert WorkItem.objects.get(pk=item["id"]).status == ItemStatus.CLAIMED
    assert (
        client.get("/api/v1/review/items?queue=a%00", headers=rin).json()["error"]["code"] == "invalid_text"
    )
    twice = client.get("/api/v1/review/items?page=1&page=2", headers=rin).json()["error"]
    assert (twice["code"], twice["field"]) == ("invalid_request", "page")
