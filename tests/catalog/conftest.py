from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    """Stored files go to a folder of this test's own."""
    root = tmp_path / "media-root"
    root.mkdir()
    settings.MEDIA_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": root}},
    }
    return root


@pytest.fixture
def delivery(tmp_path) -> Path:
    """A provider's delivery folder, separate from the media root."""
    folder = tmp_path / "delivery"
    folder.mkdir()
    return folder


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    """The shared cast hashes six passwords; the production hasher makes that seconds per test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
