"""`shinsa demo --no-serve`: the demo data in the configured database, loaded once and only once.

Needs the catalog's ingest (``shinsa.catalog.actions``); skipped in a build without it."""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError

from shinsa.accounts.models import User
from shinsa.accounts.second_factor import confirmed_device, current_code
from shinsa.demo.people import DEMO_PASSWORD, DEMO_PEOPLE, demo_totp_secret


def run_demo() -> str:
    out = io.StringIO()
    call_command("demo", "--no-serve", stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, int | list]:
    """Row counts of every table, plus the password hashes (a re-set password would change them)."""
    counts: dict[str, int | list] = {m._meta.label: m.objects.count() for m in apps.get_models()}
    counts["password hashes"] = list(User.objects.order_by("username").values_list("password", flat=True))
    return counts


def test_it_loads_titles_and_people_who_can_sign_in_and_changes_nothing_the_second_time(
    transactional_db, settings
):
    from shinsa.catalog.models import Title

    settings.DEBUG = True  # pytest-django turns it off; the demo only runs with it on

    first_output = run_demo()
    assert Title.objects.count() >= 12
    for person in DEMO_PEOPLE:
        user = authenticate(username=person.username, password=DEMO_PASSWORD)
        assert user is not None, person.username
        assert user.role_set() == {person.role}
        assert person.username in first_output
    assert DEMO_PASSWORD in first_output
    # The people whose roles need a second factor have a TOTP device; their keys are printed.
    for username in ("kenji", "daniel", "admin"):
        secret = demo_totp_secret(username)
        assert f"  {username}  {secret}  (" in first_output
        device = confirmed_device(User.objects.get(username=username))
        assert device is not None and device.verify_token(current_code(secret))
    assert confirmed_device(User.objects.get(username="haruka")) is None
    assert "haruka  " + demo_totp_secret("haruka") not in first_output
    # ≥ 90 days of history with one planted anomaly that the detector found and paged about, and the
    # unacknowledged page escalated to the next person.
    from shinsa.insights.models import AnomalyFinding
    from shinsa.oncall.models import Page

    assert "1 anomalies found, 1 pages escalated" in first_output
    assert AnomalyFinding.objects.get().drivers
    assert Page.objects.get(kind="anomaly").level == 1

    # The Iron Castle's video carries a Japanese subtitle stream with a threat: screened, review work.
    from shinsa.screening.models import ScreeningHit

    (stream_hit,) = ScreeningHit.objects.filter(stage="subtitle_streams")
    assert (stream_hit.detail["term_id"], stream_hit.detail["language"]) == ("ja_vio_koroshite_yaru", "ja")
    assert stream_hit.review_item_id is not None

    before = snapshot()
    second_output = run_demo()
    assert snapshot() == before
    assert "0 created, 0 updated" in second_output and "(0 new)" in second_output


def test_it_refuses_to_run_without_debug(transactional_db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="does not run with SHINSA_DEBUG=false"):
        run_demo()
    assert not User.objects.exists()
