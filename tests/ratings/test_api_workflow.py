"""The rest of the ratings workflow over the API: overrides with four eyes, publishing, certificates,
removing a finding — the same actions the console runs."""

from __future__ import annotations

from shinsa.api.actions import do_create_api_token
from shinsa.ratings.models import Certificate, PublishedRating

BASE = "/api/v1/ratings"
START = f"{BASE}/titles/film-1/versions/theatrical/assessments"


def _token(user):
    _stored, plaintext = do_create_api_token(
        actor="system", user=user, name="tests", scopes=("read", "review")
    )
    return {"Authorization": f"Bearer {plaintext}"}


def _post(client, path, headers, body=None):
    return client.post(path, body or {}, content_type="application/json", headers=headers)


def test_override_four_eyes_then_publish(client, cast, catalog):
    rin, sora = _token(cast.rin), _token(cast.sora)
    assessment = _post(client, START, rin).json()["id"]
    finding = _post(
        client, f"{BASE}/assessments/{assessment}/findings", rin, {"descriptor": "violence", "intensity": 3}
    ).json()
    extra = _post(
        client, f"{BASE}/assessments/{assessment}/findings", rin, {"descriptor": "violence", "intensity": 1}
    ).json()
    removed = _post(client, f"{BASE}/assessments/{assessment}/findings/{extra['id']}/remove", rin)
    assert removed.status_code == 200 and [f["id"] for f in removed.json()["findings"]] == [finding["id"]]
    submitted = _post(client, f"{BASE}/assessments/{assessment}/submit", rin).json()
    us = next(p for p in submitted["proposals"] if p["scheme"] == "mpa")
    asked = _post(
        client,
        f"{BASE}/assessments/{assessment}/overrides",
        rin,
        {"scheme": "mpa", "territory": us["territory"], "level": "R", "reason": "distributor"},
    )
    assert asked.status_code == 201, asked.content
    override = asked.json()["id"]
    # Publishing waits for the override; rin may not decide it; sora approves.
    refused = _post(client, f"{BASE}/assessments/{assessment}/publish", rin)
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "invalid_rating_change"
    assert (
        _post(client, f"{BASE}/overrides/{override}/decision", rin, {"decision": "approve"}).status_code
        == 403
    )
    approved = _post(client, f"{BASE}/overrides/{override}/decision", sora, {"decision": "approve"})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    published = _post(client, f"{BASE}/assessments/{assessment}/publish", rin)
    assert published.status_code == 200, published.content
    assert ("mpa", "R") in {(row["scheme"], row["level"]) for row in published.json()}
    assert PublishedRating.objects.filter(scheme="mpa", level="R").exists()


def test_it_records_a_certificate_and_refuses_a_second(client, cast, catalog):
    rin = _token(cast.rin)
    body = {
        "scheme": "bbfc",
        "level": "15",
        "number": "AFF1",
        "issued_on": "2024-03-01",
        "medium": "cinema",
        "authority": "BBFC",
    }
    path = f"{BASE}/titles/film-1/versions/theatrical/certificates"
    made = _post(client, path, rin, body)
    assert made.status_code == 201 and made.json()["level"] == "15"
    again = _post(client, path, rin, body)
    assert again.status_code == 422 and Certificate.objects.count() == 1


def test_it_lists_compliance_gaps_with_filters(client, cast, catalog):
    kai = _token(cast.kai)
    every = client.get(f"{BASE}/compliance?per_page=200", headers=kai).json()
    assert every["total"] > 0 and {row["problem"] for row in every["items"]} <= {
        "missing_rating",
        "missing_advice",
        "outdated_rating",
    }
    gb = client.get(f"{BASE}/compliance?territory=GB&per_page=200", headers=kai).json()
    assert gb["total"] == sum(row["territory"] == "GB" for row in every["items"]) > 0
    assert all(row["territory"] == "GB" for row in gb["items"])
    deadlines = [row["deadline"] for row in every["items"]]
    assert deadlines == sorted(deadlines)
    assert client.get(f"{BASE}/compliance?territory=gb", headers=kai).status_code == 422
