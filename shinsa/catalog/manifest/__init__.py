"""The manifest parser (pure: no Django): ``parse_manifest(path)`` -> ``ParsedManifest``."""

from shinsa.catalog.manifest.entries import (
    AssetEntry,
    AssetKind,
    AvailabilityEntry,
    ManifestLimits,
    MetadataText,
    ParsedManifest,
    TitleEntry,
    TitleKind,
    VersionEntry,
)
from shinsa.catalog.manifest.errors import IngestError, ManifestErrors, Reason
from shinsa.catalog.manifest.parse import SUFFIXES, parse_manifest

__all__ = [
    "SUFFIXES",
    "AssetEntry",
    "AssetKind",
    "AvailabilityEntry",
    "IngestError",
    "ManifestErrors",
    "ManifestLimits",
    "MetadataText",
    "ParsedManifest",
    "Reason",
    "TitleEntry",
    "TitleKind",
    "VersionEntry",
    "parse_manifest",
]
