"""The fingerprint task: verifies stored files, records facts, safe to run twice."""

from __future__ import annotations

import pytest

from shinsa.audit.models import AuditEvent
from shinsa.catalog.ingest import ingest_manifest_file
from shinsa.catalog.models import AssetVersion, Fingerprint
from shinsa.catalog.tasks import fingerprint_asset_version
from tests.catalog.manifests import EXAMPLES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def version_of(title: str, kind: str, language: str = "") -> AssetVersion:
    return AssetVersion.objects.get(
        asset__title_version__title__external_id=title, asset__kind=kind, asset__language=language
    )


@pytest.fixture
def catalog():
    ingest_manifest_file(actor="system", path=EXAMPLES / "manifest.json")


@pytest.mark.db_sensitive
def test_it_runs_twice_without_duplicate_rows_or_events(catalog):
    video = version_of("kaze-no-machi", "video")
    assert fingerprint_asset_version.call(video.pk) == "ok"
    assert fingerprint_asset_version.call(video.pk) == "ok"
    assert Fingerprint.objects.filter(asset_version=video).count() == 1
    assert AuditEvent.objects.filter(verb="catalog.asset_version.fingerprinted").count() == 1


def test_it_records_kind_specific_facts(catalog):
    fingerprint_asset_version.call(version_of("kaze-no-machi", "video").pk)
    fingerprint_asset_version.call(version_of("hoshi-no-tabi-s1e2", "subtitle", "ja").pk)
    fingerprint_asset_version.call(version_of("kaze-no-machi", "artwork").pk)
    facts = {f.asset_version.asset.kind: (f.status, f.size_bytes, f.facts) for f in Fingerprint.objects.all()}
    assert facts["video"][0] == "ok" and facts["video"][2]["container"] == "isobmff"
    assert facts["video"][1] == (EXAMPLES / "media/kaze-no-machi.mp4").stat().st_size
    assert facts["subtitle"][2] == {"encoding": "cp932", "lines": 3, "cue_markers": 1}
    assert facts["artwork"][2] == {"format": "PNG", "width": 60, "height": 90}


def test_it_notices_a_changed_or_missing_stored_file(catalog, media_root):
    video = version_of("kaze-no-machi", "video")
    stored = media_root / video.file.name
    stored.write_bytes(b"tampered")
    assert fingerprint_asset_version.call(video.pk) == "mismatch"
    stored.unlink()
    assert fingerprint_asset_version.call(video.pk) == "missing"
    fingerprint = Fingerprint.objects.get(asset_version=video)
    assert fingerprint.status == "missing"
    assert AuditEvent.objects.filter(verb="catalog.asset_version.fingerprinted").count() == 2
