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
