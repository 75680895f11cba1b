"""Loads the whole demo into the configured database: people, generated media, catalog ingest."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shinsa.catalog.actions import do_ingest_manifest
from shinsa.catalog.manifest import ManifestErrors, parse_manifest
from shinsa.demo.actions import DemoAccount, do_load_demo_people
from shinsa.demo.people import INGESTING_USERNAME
from shinsa.demo.source import DemoSource, build_demo_source


class DemoManifestRejected(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class DemoLoad:
    accounts: list[DemoAccount]
    source: DemoSource
    ingest: dict[str, Any]  # the catalog's summary: created / updated / unchanged counts
    labeling: Any = None  # shinsa.labeling.demo.DemoLabeling


def ingest_manifest(*, actor: Any, manifest_path: Path) -> dict[str, Any]:
    """Parse and ingest a manifest through the catalog's own parser and action (all or nothing)."""
    try:
        manifest = parse_manifest(manifest_path)
        summary = do_ingest_manifest(actor=actor, manifest=manifest, source_dir=manifest_path.parent)
    except ManifestErrors as errors:
        raise DemoManifestRejected([f"{e.field or 'manifest'}: {e.reason}" for e in errors.errors]) from None
    return summary.as_dict()


def load_demo(*, source_dir: Path) -> DemoLoad:
    accounts = do_load_demo_people()
    source = build_demo_source(source_dir)
    ingester = next(a.user for a in accounts if a.person.username == INGESTING_USERNAME)
    ingest = ingest_manifest(actor=ingester, manifest_path=source.manifest_path)
    from shinsa.labeling.demo import do_load_demo_labeling  # the labeling app's own demo project

    return DemoLoad(accounts=accounts, source=source, ingest=ingest, labeling=do_load_demo_labeling())
