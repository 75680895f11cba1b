"""Bank hits of an asset version: kept as evidence; a bank of illegal content quarantines the media."""

from __future__ import annotations

from pathlib import Path

import pytest

from shinsa.audit.models import AuditEvent
from shinsa.banks.actions import do_add_bank_entry, do_confirm_bank_entry, do_create_bank, do_record_bank_hits
from shinsa.banks.matching import bank_hits
from shinsa.banks.models import BankHit
from shinsa.banks.queries import bank_hits_of
from shinsa.catalog.ingest import ingest_manifest_file
from shinsa.catalog.models import AssetVersion
from tests.catalog.conftest import media_root  # noqa: F401 - the catalog's fixture, shared

EXAMPLE_MANIFEST = Path(__file__).resolve().parents[2] / "docs" / "examples" / "manifest.json"
PDQ = "0123456789abcdef" * 4
QUERY = {"kind": "image", "pdq": PDQ, "quality": 100, "md5": "0" * 32}


@pytest.fixture
def video(owners, media_root) -> AssetVersion:  # noqa: F811 - the fixture above
    ingest_manifest_file(actor="system", path=EXAMPLE_MANIFEST)
    return AssetVersion.objects.filter(asset__kind="video").first()


def bank_with_entry(owners, name: str, **settings) -> None:
    bank = do_create_bank(
        actor=owners.pia, name=name, kind="pdq", policy_area="child_safety", severity="critical", **settings
    )
    do_confirm_bank_entry(actor=owners.paul, entry=do_add_bank_entry(actor=owners.pia, bank=bank, value=PDQ))


def test_a_hit_of_an_illegal_bank_quarantines_once_and_keeps_the_evidence(owners, video):
    bank_with_entry(owners, "csam", illegal=True)
    hits = bank_hits(QUERY)
    (record,) = do_record_bank_hits(actor="screening", asset_version=video, hits=hits)
    video.refresh_from_db()
    assert video.quarantined_at is not None and "bank csam" in video.quarantine_reason
    assert (record.signal, record.action, record.detail["distance"]) == ("pdq", "quarantine", 0)

    first = video.quarantined_at
    do_record_bank_hits(actor="screening", asset_version=video, hits=hits)  # a retried run
    video.refresh_from_db()
    assert BankHit.objects.count() == 1 and video.quarantined_at == first
    assert [(h.entry.bank.name, h.signal) for h in bank_hits_of(video.pk)] == [("csam", "pdq")]
    assert AuditEvent.objects.filter(verb="banks.hit.recorded").count() == 1
    assert AuditEvent.objects.filter(verb="catalog.asset_version.quarantined").count() == 1


def test_a_hit_of_an_ordinary_bank_is_kept_for_review_without_quarantine(owners, video):
    bank_with_entry(owners, "known-abuse")
    (record,) = do_record_bank_hits(actor="screening", asset_version=video, hits=bank_hits(QUERY))
    video.refresh_from_db()
    assert record.action == "enqueue" and video.quarantined_at is None
