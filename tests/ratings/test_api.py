"""The ratings API: auth and permissions with the cast, start, findings, submit, published ratings."""

from __future__ import annotations

import pytest

from shinsa.api.actions import do_create_api_token
from tests.ratings.conftest import publish_cut

BASE = "/api/v1/ratings"
PUBLISHED = f"{BASE}/titles/film-1/versions/theatrical/published"
START = f"{BASE}/titles/film-1/versions/theatrical/assessments"


def _token(user):
    _stored, plaintext = do_create_api_token(
        actor="system", user=user, name="tests", scopes=("read", "review")
    )
    return {"Authorization": f"Bearer {plaintext}"}


def _error(response, status, code):
    assert response.status_code == status, response.content
    assert response.json()["error"]["code"] == code


@pytest.mark.parametrize(
    "method, url", [("get", PUBLISHED), ("post", START), ("post", f"{BASE}/assessments/1/submit")]
)
def test_it_answers_401_without_credentials(client, catalog, method, url):
    _error(getattr(client, method)(url), 401, "unauthenticated")


@pytest.mark.parametrize(
    "method, url", [("get", PUBLISHED), ("post", START), ("post", f"{BASE}/assessments/1/submit")]
)
def test_it_answers_403_to_the_outsider(client, cast, catalog, method, url):
    client.force_login(cast.olive)
    _error(getattr(client, method)(url), 403, "forbidden")


def test_it_lets_a_qa_auditor_read_but_not_assess(client, cast, catalog):
    headers = _token(cast.kai)
    assert client.get(PUBLISHED, headers=headers).status_code == 200
    _error(client.post(START, headers=headers), 403, "forbidden")


def test_it_runs_an_assessment_through_the_api(client, cast, catalog):
    headers = _token(cast.rin)
    started = client.post(START, headers=headers)
    assert started.status_code == 201
    assessment_id = started.json()["id"]
    finding = client.post(
        f"{BASE}/assessments/{assessment_id}/findings",
        {
            "descriptor": "violence",
            "intensity": 3,
            "start_ms": 1000,
            "end_ms": 2000,
            "context": ["realistic"],
        },
        content_type="application/json",
        headers=headers,
    )
    assert finding.status_code == 201 and finding.json()["status"] == "accepted"
    submitted = client.post(f"{BASE}/assessments/{assessment_id}/submit", headers=headers).json()
    assert submitted["status"] == "submitted"
    bbfc = next(p for p in submitted["proposals"] if p["scheme"] == "bbfc")
    assert bbfc["level"] == "15" and bbfc["because"][0]["descriptor"] == "violence"


def test_it_refuses_a_bad_finding_with_the_stable_error_body(client, cast, catalog):
    headers = _token(cast.rin)
    assessment_id = client.post(START, headers=headers).json()["id"]
    response = client.post(
        f"{BASE}/assessments/{assessment_id}/findings",
        {"descriptor": "violence", "intensity": 9},
        content_type="application/json",
        headers=headers,
    )
    _error(response, 422, "invalid_rating_change")
    assert "9" in response.json()["error"]["message"]


def test_it_lists_published_ratings_of_a_cut(client, cast, catalog):
    publish_cut(cast.rin, catalog.film_cut, ("violence", 3))
    body = client.get(PUBLISHED, headers=_token(cast.rin)).json()
    assert {(row["scheme"], row["territory"], row["level"]) for row in body} >= {("bbfc", "GB", "15")}
    assert all(row["policy_version"] for row in body)


def test_it_answers_404_for_an_unknown_cut(client, cast, catalog):
    _error(
        client.get(f"{BASE}/titles/film-1/versions/nope/published", headers=_token(cast.rin)),
        404,
        "not_found",
    )
