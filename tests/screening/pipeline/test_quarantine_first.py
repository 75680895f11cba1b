"""Quarantine comes before any rendition: media matching a bank of illegal content never gets a proxy,
poster or sprite — not in the database, not in the media folder, not (past the matching frame) in the
stage's work directory. An exact digest match skips the decoding pass; a frame match stops the proxies
mid-pass; a match of an ordinary bank still gets its renditions."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from django.core.management import call_command

from shinsa.accounts.roles import Role
from shinsa.banks.actions import do_add_bank_entry, do_confirm_bank_entry, do_create_bank
from shinsa.banks.matching import forget_matcher
from shinsa.banks.models import BankHit
from shinsa.catalog.models import Rendition
from shinsa.review.models import WorkItemSignal
from shinsa.screening.hashing.files import hash_file
from shinsa.screening.models import RunStatus, ScreeningHit
from shinsa.screening.stages import run_screening
from tests.cast import make_person
from tests.catalog.conftest import media_root  # noqa: F401 - shared fixture

pytestmark = pytest.mark.media

MATCHED_FRAME = 2  # the clip's frame at 2 s goes into the bank


@pytest.fixture(autouse=True)
def fresh_matcher():
    forget_matcher()
    yield
    forget_matcher()


@pytest.fixture
def workdir(tmp_path, monkeypatch) -> Path:
    """The stages' private work directories are made here, so the test can look inside them."""
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def _bank(value: str, *, kind: str, illegal: bool) -> None:
    pia, paul = make_person("pia", Role.POLICY_OWNER), make_person("paul", Role.POLICY_OWNER)
    area, severity = ("child_safety", "critical") if illegal else ("violence", "high")
    bank = do_create_bank(
        actor=pia, name=f"bank-{kind}", kind=kind, policy_area=area, severity=severity, illegal=illegal
    )
    do_confirm_bank_entry(actor=paul, entry=do_add_bank_entry(actor=pia, bank=bank, value=value))


def _files(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


def _originals_only(media_root: Path, catalog) -> None:  # noqa: F811
    assert _files(media_root) == sorted(
        v.file.name for v in (catalog.video, catalog.subtitle, catalog.artwork)
    )


def test_a_frame_of_an_illegal_bank_stops_the_proxies_mid_pass(media_root, catalog, workdir):  # noqa: F811
    frame = hash_file(catalog.video.file.path).frames[MATCHED_FRAME]
    _bank(frame.pdq, kind="pdq", illegal=True)
    seen: list[tuple[float, list[str]]] = []

    def listener(stage: str, fraction: float) -> None:
        if stage == "decode":
            seen.append((fraction, _files(workdir)))

    run = run_screening(catalog.video.pk, listener=listener)
    assert run.status == RunStatus.DONE, run.error
    catalog.video.refresh_from_db()
    assert catalog.video.quarantined_at is not None and "bank-pdq" in catalog.video.quarantine_reason
    # The proxy was being written before the matching frame, and nothing of it was left after it.
    assert any(name.endswith("proxy.mp4") for name in seen[0][1])
    after = [files for fraction, files in seen if fraction >= frame.time * 1000 / run.duration_ms - 0.01]
    assert after and all(files == [] for files in after)
    assert _files(workdir) == []
    assert not Rendition.objects.filter(asset_version=catalog.video).exists()
    _originals_only(media_root, catalog)
    # The pass went on screening: every frame's hash and the evidence are kept, no review work made.
    assert len(run.features["pdq"]) == len(hash_file(catalog.video.file.path).frames)
    hits = ScreeningHit.objects.filter(run=run, stage="banks")
    assert hits.exists()
    assert all(h.detail["action"] == "quarantine" and h.review_item_id is None for h in hits)
    evidence = BankHit.objects.filter(asset_version=catalog.video).count()
    assert evidence == hits.count()

    call_command("screening", "run", str(catalog.video.pk))  # a retried run adds nothing
    assert BankHit.objects.filter(asset_version=catalog.video).count() == evidence
    assert not Rendition.objects.filter(asset_version=catalog.video).exists()
    _originals_only(media_root, catalog)


def test_an_exact_digest_of_an_illegal_bank_skips_the_pass(media_root, catalog, workdir):  # noqa: F811
    _bank(hash_file(catalog.video.file.path).md5, kind="md5", illegal=True)
    seen: list[list[str]] = []
    run = run_screening(catalog.video.pk, listener=lambda stage, _: seen.append(_files(workdir)))
    assert run.status == RunStatus.DONE, run.error
    catalog.video.refresh_from_db()
    assert catalog.video.quarantined_at is not None
    assert run.features["pdq"] == [] and run.scene_cuts == [] and run.features["md5"]
    assert all(files == [] for files in seen)
    assert not Rendition.objects.filter(asset_version=catalog.video).exists()
    _originals_only(media_root, catalog)
    (hit,) = ScreeningHit.objects.filter(run=run, stage="banks")
    assert hit.signal == "md5" and hit.detail["action"] == "quarantine" and hit.review_item_id is None


def test_an_illegal_artwork_gets_no_poster(media_root, catalog, workdir):  # noqa: F811
    _bank(hash_file(catalog.artwork.file.path).pdq.hex, kind="pdq", illegal=True)
    run = run_screening(catalog.artwork.pk)
    assert run.status == RunStatus.DONE, run.error
    catalog.artwork.refresh_from_db()
    assert catalog.artwork.quarantined_at is not None
    assert not Rendition.objects.filter(asset_version=catalog.artwork).exists()
    _originals_only(media_root, catalog)


def test_a_frame_of_an_ordinary_bank_keeps_the_renditions(media_root, catalog, workdir):  # noqa: F811
    _bank(hash_file(catalog.video.file.path).frames[MATCHED_FRAME].pdq, kind="pdq", illegal=False)
    run = run_screening(catalog.video.pk)
    assert run.status == RunStatus.DONE, run.error
    catalog.video.refresh_from_db()
    assert catalog.video.quarantined_at is None
    renditions = Rendition.objects.filter(asset_version=catalog.video)
    assert sorted(r.kind for r in renditions) == ["poster", "proxy", "sprite", "sprite.vtt"]
    assert all((media_root / r.file.name).is_file() for r in renditions)
    assert WorkItemSignal.objects.filter(source="screening:pdq").exists()
    assert _files(workdir) == []
