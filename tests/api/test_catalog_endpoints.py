"""GET /api/v1/titles and /api/v1/titles/{external_id}; who may call them; the error body; OpenAPI."""

from __future__ import annotations

import pytest

from shinsa.catalog.ingest import ingest_manifest_file
from tests.catalog.manifests import EXAMPLES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

ENDPOINTS = [
    ("get", "/api/v1/titles"),
    ("get", "/api/v1/titles/kaze-no-machi"),
    ("post", "/api/v1/manifests"),
]


@pytest.fixture
def catalog():
    ingest_manifest_file(actor="system", path=EXAMPLES / "manifest.json")


def assert_error(response, status: int, code: str, field=None) -> None:
    assert response.status_code == status, response.content
    assert response.json() == {
        "error": {"code": code, "message": response.json()["error"]["message"], "field": field}
    }
    assert response.json()["error"]["message"]


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
def test_anonymous_callers_get_401(client, method, url):
    response = getattr(client, method)(url)
    assert_error(response, 401, "unauthenticated")
    assert response["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
def test_the_outsider_gets_403_everywhere(client, cast, method, url):
    client.force_login(cast.olive)
    assert_error(getattr(client, method)(url), 403, "forbidden")


def test_a_reviewer_may_read_but_not_ingest(client, cast, token_for, catalog):
    headers = token_for(cast.rin)
    assert client.get("/api/v1/titles", headers=headers).status_code == 200
    assert_error(client.post("/api/v1/manifests", headers=headers), 403, "forbidden")


def test_it_lists_titles_in_the_asked_or_preferred_language(client, cast, token_for, catalog):
    headers = token_for(cast.rin)
    body = client.get("/api/v1/titles?kind=series", headers=headers).json()
    assert body["total"] == 1 and body["items"][0]["display_title"] == "Journey of the Stars"
    japanese = client.get("/api/v1/titles?kind=series&language=ja", headers=headers).json()
    assert japanese["items"][0]["display_title"] == "星の旅"
    cast.rin.preferred_language = "ja"
    cast.rin.save()
    assert (
        client.get("/api/v1/titles?search=kaze", headers=headers).json()["items"][0]["display_title"]
        == "風の街（テレビ版）"
    )


def test_it_shows_a_title_with_versions_assets_and_availability(client, cast, token_for, catalog):
    body = client.get("/api/v1/titles/hoshi-no-tabi-s1e1", headers=token_for(cast.kai)).json()
    assert body["title"]["parent"] == "hoshi-no-tabi-s1"
    version = body["versions"][0]
    assert version["availability"] == [
        {"territory": "JP", "start": "2026-01-01", "end": None},
        {"territory": "US", "start": "2026-04-01", "end": "2027-03-31"},
    ]
    subtitles = [a for a in version["assets"] if a["kind"] == "subtitle"]
    assert [(a["language"], a["versions"][0]["number"]) for a in subtitles] == [("en", 1), ("ja", 1)]
    assert "file" not in subtitles[0]["versions"][0]  # stored names are never exposed


def test_errors_have_the_stable_shape(client, cast, token_for, catalog):
    headers = token_for(cast.rin)
    assert_error(client.get("/api/v1/titles/no-such-title", headers=headers), 404, "not_found")
    assert_error(client.get("/api/v1/titles?page=abc", headers=headers), 422, "invalid_request", "page")
    assert_error(client.get("/api/v1/titles?kind=opera", headers=headers), 422, "invalid_request", "kind")
    assert_error(
        client.get("/api/v1/titles?language=fr", headers=headers), 422, "invalid_request", "language"
    )


def test_the_message_follows_the_request_language(client):
    response = client.get("/api/v1/titles", headers={"Accept-Language": "ja"})
    assert response.json()["error"]["message"] == "サインインするか、有効な API トークンを送ってください"


def test_the_openapi_document_is_served_with_examples(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert {"/api/v1/titles", "/api/v1/titles/{external_id}", "/api/v1/manifests"} <= set(document["paths"])
    schemas = document["components"]["schemas"]
    assert schemas["TitleOut"]["properties"]["external_id"]["examples"] == ["hoshi-no-tabi-s1e1"]
    upload = document["paths"]["/api/v1/manifests"]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"]
    assert {"401", "403", "413", "422"} <= set(upload["responses"])
