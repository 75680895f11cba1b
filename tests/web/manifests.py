"""Manifest entries for tests that need titles in the catalog."""

from __future__ import annotations

from typing import Any


def film(
    external_id: str, original: str, *, ja: str | None = None, en: str | None = None, **extra: Any
) -> dict[str, Any]:
    """A film entry for a manifest, with metadata titles in the languages given."""
    assets = [
        {"kind": "metadata", "language": language, "name": "main", "title": text, "synopsis": "", "tags": []}
        for language, text in (("ja", ja), ("en", en))
        if text
    ]
    return {
        "id": external_id,
        "kind": "film",
        "original_title": original,
        "original_language": "ja",
        "year": 2024,
        "versions": [{"label": "original", "assets": assets}] if assets else [],
        **extra,
    }
