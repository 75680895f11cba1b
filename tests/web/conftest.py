"""Fixtures for the web console's tests."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from shinsa.accounts.models import User
from shinsa.catalog.ingest import ingest_manifest_file
from tests.catalog.conftest import media_root  # noqa: F401 - the catalog's fixture, shared


@pytest.fixture
def client_for(db) -> Callable[[User], Client]:
    """A test client signed in as the given person (a real session, like a browser's)."""

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def ingest(db, tmp_path, request) -> Callable[..., None]:
    """Ingest a manifest (the titles given as dicts) through the catalog's real ingest, as ``actor``."""
    request.getfixturevalue("media_root")  # stored files go to this test's own folder
    counter = iter(range(1_000_000))

    def run(
        titles: list[dict[str, Any]], *, actor: User | str = "system", files: dict[str, bytes] | None = None
    ):
        folder = tmp_path / f"delivery-{next(counter)}"
        folder.mkdir()
        for name, content in (files or {}).items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(content)
        path = folder / "manifest.json"
        path.write_text(json.dumps({"format": "shinsa-manifest/1", "titles": titles}), encoding="utf-8")
        ingest_manifest_file(actor=actor, path=path)

    return run
