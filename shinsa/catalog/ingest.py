"""Ingest a manifest file end to end (parse, then write): the one path shared by the CLI and the API."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext

from shinsa.catalog.actions import IngestSummary, do_ingest_manifest
from shinsa.catalog.manifest import ManifestLimits, parse_manifest


def manifest_limits() -> ManifestLimits:
    return ManifestLimits(max_bytes=settings.MANIFEST_MAX_BYTES)


def ingest_manifest_file(
    *, actor: Any, path: Path, dry_run: bool = False, allow_files: bool = True
) -> IngestSummary:
    """Parse ``path`` and ingest it; raises ``ManifestErrors`` (nothing stored) on any problem."""
    manifest = parse_manifest(path, limits=manifest_limits(), allow_files=allow_files)
    return do_ingest_manifest(actor=actor, manifest=manifest, source_dir=path.parent, dry_run=dry_run)


def summary_lines(summary: IngestSummary) -> list[str]:
    """The counts as short lines in the active language."""
    counts = summary.as_dict()
    lines = [
        gettext("titles: %(created)s created, %(updated)s updated, %(unchanged)s unchanged")
        % counts["titles"],
        gettext("versions: %(created)s created, %(updated)s updated, %(unchanged)s unchanged")
        % counts["versions"],
        gettext("asset versions: %(created)s created, %(unchanged)s unchanged") % counts["asset_versions"],
    ]
    if summary.dry_run:
        lines.append(gettext("dry run: nothing was stored"))
    return lines
