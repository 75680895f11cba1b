"""Loads the whole demo into the configured database: people, generated media, catalog ingest."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shinsa.catalog.actions import do_ingest_manifest
from shinsa.catalog.manifest import ManifestErrors, parse_manifest
from shinsa.demo.actions import DemoAccount, do_load_demo_people
from shinsa.demo.banks import do_load_demo_banks
from shinsa.demo.history import HistoryLoad, OncallLoad, load_history, load_oncall
from shinsa.demo.people import INGESTING_USERNAME
from shinsa.demo.quality import seed_quality_demo
from shinsa.demo.source import DemoSource, build_demo_source
from shinsa.labeling.demo import do_load_demo_labeling

BANK_OWNER_USERNAME = "daniel"  # the policy owner adds bank entries; the admin confirms them


class DemoManifestRejected(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class DemoLoad:
    accounts: list[DemoAccount]
    source: DemoSource
    ingest: dict[str, Any]  # the catalog's summary: created / updated / unchanged counts
    quality: dict[str, Any]  # audits, gold and calibration seeded (empty when already there)
    history: HistoryLoad
    oncall: OncallLoad
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
    people = {a.person.username: a.user for a in accounts}
    ingest = ingest_manifest(actor=people[INGESTING_USERNAME], manifest_path=source.manifest_path)
    videos = sorted(source.truth)
    known_video = source.root / videos[0] if videos else None
    do_load_demo_banks(owner=people[BANK_OWNER_USERNAME], confirmer=people["admin"], known_video=known_video)
    return DemoLoad(
        accounts=accounts,
        source=source,
        ingest=ingest,
        quality=seed_quality_demo(),
        history=load_history(),
        oncall=load_oncall(),
        labeling=do_load_demo_labeling(),
    )
