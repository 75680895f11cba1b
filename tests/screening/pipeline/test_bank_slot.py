"""The bank-matching slot: skipped without a banks app; with one installed, its matcher gets the run's
hashes and its hits are stored, shown as bank matches and turned into review work."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from shinsa.accounts.roles import Role
from shinsa.review.models import WorkItemSignal
from shinsa.screening.models import RunStatus, ScreeningHit, StageStatus
from shinsa.screening.stages import run_screening
from tests.cast import PASSWORD, make_person
from tests.catalog.conftest import media_root  # noqa: F401 - shared fixture
from tests.screening.pipeline import bank_matcher_for_test as matching

pytestmark = pytest.mark.media


@pytest.fixture
def banks_installed(settings):
    # The banks branch is not merged here: stand an installed app in for it (adding an app to
    # INSTALLED_APPS in a test re-runs every app's ready()), and point the slot at a real matcher.
    settings.SCREENING_BANKS_APP = "shinsa.screening"
    settings.SCREENING_BANK_MATCHER = "tests.screening.pipeline.bank_matcher_for_test.bank_hits"
    yield
    matching.KNOWN.clear()


def test_the_slot_is_skipped_without_a_banks_app(media_root, catalog):  # noqa: F811
    run = run_screening(catalog.video.pk)
    banks = run.stages.get(name="banks")
    assert banks.status == StageStatus.SKIPPED and banks.note == "the banks app is not installed"


def test_bank_hits_are_stored_shown_and_made_review_work(media_root, catalog, banks_installed):  # noqa: F811
    first = run_screening(catalog.video.pk)
    assert first.stages.get(name="banks").status == StageStatus.DONE
    assert not first.hits.exists()  # nothing known yet
    # a frame of the clip becomes a known bank entry; the next run matches it
    matching.KNOWN["entry-7"] = first.features["pdq"][2][0]
    call_command("screening", "run", str(catalog.video.pk))
    first.refresh_from_db()
    assert first.status == RunStatus.DONE
    hits = list(ScreeningHit.objects.filter(run=first))
    assert hits and {hit.stage for hit in hits} == {"banks"}
    assert {hit.detail["entry"] for hit in hits} == {"entry-7"}
    assert all(hit.review_item_id for hit in hits)
    assert WorkItemSignal.objects.filter(source="screening:pdq").count() == len(hits)

    person = make_person("pat", Role.REVIEWER)
    client = Client()
    assert client.login(username=person.username, password=PASSWORD)
    html = client.get(f"/screening/asset-versions/{catalog.video.pk}/").content.decode()
    assert "Bank matches" in html and "entry-7" in html and "test bank" in html
