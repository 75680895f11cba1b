"""Whole-catalog snapshots, to compare what ingests leave behind (all-or-nothing, same result per format)."""

from __future__ import annotations

from typing import Any

from shinsa.audit.models import AuditEvent
from shinsa.catalog.models import Asset, AssetVersion, Availability, ExternalId, Title, TitleVersion


def catalog_snapshot() -> dict[str, Any]:
    """Every catalog row by natural keys (no database ids or times), so two databases compare equal."""
    return {
        "titles": sorted(
            Title.objects.values_list(
                "external_id",
                "kind",
                "parent__external_id",
                "number",
                "original_title",
                "original_language",
                "year",
            ),
            key=str,
        ),
        "external_ids": sorted(ExternalId.objects.values_list("title__external_id", "namespace", "value")),
        "versions": sorted(TitleVersion.objects.values_list("title__external_id", "label")),
        "availability": sorted(
            Availability.objects.values_list(
                "title_version__title__external_id",
                "title_version__label",
                "territory",
                "starts_on",
                "ends_on",
            ),
            key=str,
        ),
        "assets": sorted(
            Asset.objects.values_list(
                "title_version__title__external_id", "title_version__label", "kind", "language", "name"
            )
        ),
        "asset_versions": sorted(
            (
                (
                    v.asset.title_version.title.external_id,
                    v.asset.kind,
                    v.asset.language,
                    v.asset.name,
                    v.number,
                ),
                (v.sha256, v.size_bytes, v.file.name, v.media_type, v.source_encoding, v.metadata),
            )
            for v in AssetVersion.objects.select_related("asset__title_version__title")
        ),
    }


def row_counts() -> dict[str, int]:
    models = [Title, ExternalId, TitleVersion, Availability, Asset, AssetVersion, AuditEvent]
    return {model.__name__: model.objects.count() for model in models}
