"""A small world for the security tests: the example catalog, an open assessment, an override
awaiting a senior and a stored video version, all made through the real ingest and actions."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from shinsa.banks.actions import do_add_bank_entry, do_create_bank
from shinsa.catalog.ingest import ingest_manifest_file
from shinsa.catalog.models import AssetVersion, TitleVersion
from shinsa.ratings.actions import do_request_override, do_start_assessment, do_submit_assessment
from tests.catalog.conftest import media_root  # noqa: F401 - the catalog's fixture, shared

EXAMPLE_MANIFEST = Path(__file__).resolve().parents[2] / "docs" / "examples" / "manifest.json"


@dataclass(frozen=True)
class World:
    external_id: str
    label: str
    assessment_id: int
    override_id: int
    asset_version_id: int
    bank_id: int
    entry_id: int


@pytest.fixture
def world(cast, request) -> World:
    request.getfixturevalue("media_root")
    ingest_manifest_file(actor="system", path=EXAMPLE_MANIFEST)
    film = TitleVersion.objects.get(title__external_id="kaze-no-machi", label="theatrical")
    episode = TitleVersion.objects.get(title__external_id="hoshi-no-tabi-s1e1", label="original")
    submitted = do_start_assessment(actor=cast.rin, title_version=episode)
    proposals = do_submit_assessment(actor=cast.rin, assessment=submitted)
    assert any(p.scheme == "mpa" and p.territory == "US" and p.level == "G" for p in proposals)
    override = do_request_override(
        actor=cast.rin,
        assessment=submitted,
        scheme="mpa",
        territory="US",
        level="PG",
        reason="distributor asked for a second look",
    )
    draft = do_start_assessment(actor=cast.rin, title_version=film)
    video = AssetVersion.objects.filter(asset__title_version=film, asset__kind="video").first()
    bank = do_create_bank(actor=cast.ada, name="known", kind="pdq", policy_area="violence", severity="high")
    entry = do_add_bank_entry(actor=cast.ada, bank=bank, value="ab" * 32)
    return World(
        external_id="kaze-no-machi",
        label="theatrical",
        assessment_id=draft.pk,
        override_id=override.pk,
        asset_version_id=video.pk,
        bank_id=bank.pk,
        entry_id=entry.pk,
    )
