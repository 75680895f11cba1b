"""POST /api/v1/manifests: metadata-only manifests, all or nothing, same summary and errors as the CLI."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from shinsa.audit.models import AuditEvent
from shinsa.catalog.models import Title
from tests.cast import PASSWORD
from tests.catalog.manifests import EXAMPLES, csv_text, film, metadata
from tests.catalog.snapshots import row_counts

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def manifest_file(titles, name="m.json") -> SimpleUploadedFile:
    body = json.dumps({"format": "shinsa-manifest/1", "titles": titles}).encode()
    return SimpleUploadedFile(name, body, content_type="application/json")


GOOD = [film("f-1", versions=[{"label": "v", "assets": [metadata(title="Up")]}]), film("f-2")]


def test_it_ingests_a_metadata_manifest_and_reports_the_counts(client, cast, token_for):
    response = client.post("/api/v1/manifests", {"file": manifest_file(GOOD)}, headers=token_for(cast.mei))
    assert response.status_code == 200, response.content
    assert response.json()["titles"] == {"created": 2, "updated": 0, "unchanged": 0}
    assert response.json()["asset_versions"] == {"created": 1, "updated": 0, "unchanged": 0}
    assert set(
        AuditEvent.objects.filter(verb__startswith="catalog.").values_list("actor_label", flat=True)
    ) == {"mei"}
    again = client.post(
        "/api/v1/manifests", {"file": manifest_file(GOOD)}, headers=token_for(cast.mei, "second")
    )
    assert again.json()["titles"]["unchanged"] == 2


def test_a_bad_row_stores_nothing_and_lists_every_problem(client, cast, token_for):
    client.post("/api/v1/manifests", {"file": manifest_file(GOOD)}, headers=token_for(cast.mei))
    headers = token_for(cast.ada)
    counts = row_counts()
    rows = [
        {"id": "f-3", "kind": "film", "original_title": "Fine", "original_language": "en"},
        {"id": "f-4", "kind": "film", "original_title": "Bad", "original_language": "xx"},
    ]
    upload = SimpleUploadedFile("rows.csv", csv_text(rows).encode("cp932"), content_type="text/csv")
    response = client.post("/api/v1/manifests", {"file": upload}, headers=headers)
    assert response.status_code == 422
    body = response.json()
    assert body["error"]["code"] == "invalid_manifest"
    assert body["problems"] == [
        {
            "row": 3,
            "field": "original_language",
            "code": "bad_language",
            "message": '"xx" is not a language code (use a primary language such as ja or en)',
        }
    ]
    assert row_counts() == counts


def test_it_refuses_assets_with_files(client, cast, token_for):
    upload = SimpleUploadedFile("m.xlsx", (EXAMPLES / "manifest.xlsx").read_bytes())
    response = client.post("/api/v1/manifests", {"file": upload}, headers=token_for(cast.mei))
    assert response.status_code == 422
    assert {p["code"] for p in response.json()["problems"]} == {"files_not_allowed"}
    assert Title.objects.count() == 0


def test_it_refuses_missing_odd_and_oversized_uploads(client, cast, token_for, settings):
    headers = token_for(cast.mei)
    missing = client.post("/api/v1/manifests", {}, headers=headers)
    assert missing.status_code == 400 and missing.json()["error"]["field"] == "file"
    odd = client.post("/api/v1/manifests", {"file": SimpleUploadedFile("m.exe", b"MZ")}, headers=headers)
    assert odd.json()["error"]["code"] == "unsupported_format"
    settings.MANIFEST_MAX_BYTES = 1024
    big = client.post(
        "/api/v1/manifests", {"file": SimpleUploadedFile("m.json", b" " * 2048)}, headers=headers
    )
    assert big.status_code == 413 and big.json()["error"]["code"] == "too_large"
    huge = client.post(
        "/api/v1/manifests", {"file": SimpleUploadedFile("m.json", b" " * 200_000)}, headers=headers
    )
    assert huge.status_code == 413


def test_a_dry_run_stores_nothing(client, cast, token_for):
    response = client.post(
        "/api/v1/manifests?dry_run=true", {"file": manifest_file(GOOD)}, headers=token_for(cast.mei)
    )
    assert response.json()["dry_run"] is True and response.json()["titles"]["created"] == 2
    assert Title.objects.count() == 0


def test_a_browser_session_must_send_the_csrf_token(cast):
    browser = Client(enforce_csrf_checks=True)
    assert browser.login(username="mei", password=PASSWORD)
    refused = browser.post("/api/v1/manifests", {"file": manifest_file(GOOD)})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    browser.get("/api/v1/titles")  # any response; what matters is a CSRF cookie to echo
    from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret

    secret = _get_new_csrf_string()
    browser.cookies["csrftoken"] = secret
    accepted = browser.post(
        "/api/v1/manifests",
        {"file": manifest_file(GOOD)},
        headers={"X-CSRFToken": _mask_cipher_secret(secret)},
    )
    assert accepted.status_code == 200, accepted.content
