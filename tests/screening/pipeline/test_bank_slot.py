"""The bank-matching stage: skipped without a banks app; with the banks app, its matcher gets the run's
stored hashes (no second decode), hits are kept as bank evidence, shown as bank matches and made review
work; a bank of illegal content quarantines the media, which loses its renditions."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from shinsa.accounts.roles import Role
from shinsa.banks.actions import do_add_bank_entry, do_confirm_bank_entry, do_create_bank
from shinsa.banks.matching import forget_matcher
from shinsa.banks.models import BankHit
from shinsa.catalog.models import Rendition
from shinsa.review.models import WorkItemSignal
from shinsa.screening.models import RunStatus, ScreeningHit, StageStatus
from shinsa.screening.stages import run_screening
from tests.cast import PASSWORD, make_person
from tests.catalog.conftest import media_root  # noqa: F401 - shared fixture
from tests.screening.pipeline import bank_matcher_for_test as matching

pytestmark = pytest.mark.media


@pytest.fixture(autouse=True)
def fresh_matcher():
    forget_matcher()  # the matcher is per process: each test starts from its own database
    yield
    forget_matcher()
    matching.KNOWN.clear()


def _bank_with(value: str, *, kind: str, action: str = "enqueue", area: str = "violence"):
    pia, paul = make_person("pia", Role.POLICY_OWNER), make_person("paul", Role.POLICY_OWNER)
    bank = do_create_bank(
        actor=pia, name=f"known-{kind}", kind=kind, policy_area=area, severity="high", action=action
    )
    do_confirm_bank_entry(
        actor=paul, entry=do_add_bank_entry(actor=pia, bank=bank, value=value, label="case 9")
    )
    return bank


def test_the_stage_is_skipped_without_a_banks_app(media_root, catalog, settings):  # noqa: F811
    settings.SCREENING_BANKS_APP = "shinsa.not_installed"
    run = run_screening(catalog.video.pk)
    banks = run.stages.get(name="banks")
    assert banks.status == StageStatus.SKIPPED and banks.note == "the banks app is not installed"


def test_a_frame_in_a_bank_is_matched_kept_shown_and_made_review_work(media_root, catalog):  # noqa: F811
    first = run_screening(catalog.video.pk)
    assert first.stages.get(name="banks").status == StageStatus.DONE and not first.hits.exists()
    _bank_with(first.features["pdq"][2][0], kind="pdq")  # a frame of the clip becomes a bank entry
    call_command("screening", "run", str(catalog.video.pk))
    first.refresh_from_db()
    assert first.status == RunStatus.DONE
    hits = list(ScreeningHit.objects.filter(run=first, stage="banks"))
    assert hits and {h.signal for h in hits} <= {"pdq", "vpdq"}
    assert all(h.detail["bank"] == "known-pdq" and h.review_item_id for h in hits)
    assert BankHit.objects.filter(asset_version=catalog.video).count() == len(hits)
    assert WorkItemSignal.objects.filter(source__in=["screening:pdq", "screening:vpdq"]).count() == len(hits)
    person = make_person("pat", Role.REVIEWER)
    client = Client()
    assert client.login(username=person.username, password=PASSWORD)
    html = client.get(f"/screening/asset-versions/{catalog.video.pk}/").content.decode()
    assert "Bank matches" in html and "known-pdq" in html and "case 9" in html


def test_an_illegal_bank_match_quarantines_and_makes_no_review_item(media_root, catalog):  # noqa: F811
    probe_run = run_screening(catalog.artwork.pk)
    assert Rendition.objects.filter(asset_version=catalog.artwork).exists()
    _bank_with(probe_run.features["md5"], kind="md5", action="quarantine", area="child_safety")
    call_command("screening", "run", str(catalog.artwork.pk))
    catalog.artwork.refresh_from_db()
    assert catalog.artwork.quarantined_at is not None
    assert not Rendition.objects.filter(asset_version=catalog.artwork).exists()
    (hit,) = ScreeningHit.objects.filter(run=probe_run, stage="banks")
    assert hit.signal == "md5" and hit.detail["action"] == "quarantine" and hit.review_item_id is None


def test_the_matcher_is_a_setting(media_root, catalog, settings):  # noqa: F811
    settings.SCREENING_BANK_MATCHER = "tests.screening.pipeline.bank_matcher_for_test.bank_hits"
    first = run_screening(catalog.video.pk)
    matching.KNOWN["entry-7"] = first.features["pdq"][2][0]
    call_command("screening", "run", str(catalog.video.pk))
    hits = ScreeningHit.objects.filter(run=first, stage="banks")
    assert hits.exists() and {h.detail["entry"] for h in hits} == {"entry-7"}
