"""Erasure on request and after the retention period: personal data goes, the audit chain still verifies."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from shinsa.accounts.actions import do_update_user
from shinsa.accounts.models import User
from shinsa.api.actions import do_create_api_token
from shinsa.audit.models import AuditEvent
from shinsa.audit.sealing import seal_pending
from shinsa.audit.verification import verify_chain
from shinsa.review.actions import do_claim_next_item, do_sync_queues, do_upsert_item
from shinsa.review.models import ItemStatus, WorkItem
from tests.cast import CAST_ACTOR, PASSWORD, make_person
from tests.hostile.tables import dump_tables
from tests.review.conftest import give_skills, make_version

pytestmark = pytest.mark.django_db


def _erase(*args: str) -> dict:
    out = io.StringIO()
    call_command("erase", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_erasure_removes_the_persons_data_everywhere_but_the_audit_chain_still_verifies(cast):
    do_update_user(
        actor=CAST_ACTOR, user=cast.rin, email="rin.private@example.org", display_name="Rin Hoshino"
    )
    rin = give_skills(User.objects.get(pk=cast.rin.pk), territories=("JP",))
    do_sync_queues(actor="system")
    do_upsert_item(actor="system", title_version=make_version("erase-1"), policy_area="hate")
    item = do_claim_next_item(actor=rin)
    do_create_api_token(actor="system", user=rin, name="laptop")
    browser = Client()
    assert browser.login(username="rin", password=PASSWORD)
    seal_pending(full=True)
    assert verify_chain().intact

    result = _erase("user", "rin", "--reason", "DSR-2026-0042")

    assert result["erased"] == f"erased-{rin.pk}"
    assert result["removed"]["api_tokens"] == 1 and result["removed"]["sessions"] == 1
    assert result["removed"]["claims_released"] == 1 and result["removed"]["skills"] >= 3
    erased = User.objects.get(pk=rin.pk)
    assert (erased.username, erased.email, erased.display_name, erased.is_active) == (
        f"erased-{rin.pk}",
        "",
        "",
        False,
    )
    assert not erased.has_usable_password() and erased.role_set() == frozenset()
    assert WorkItem.objects.get(pk=item.pk).status == ItemStatus.OPEN
    assert browser.get("/catalog/").status_code == 302  # the open session is gone
    for table, rows in dump_tables(skip=frozenset({"audit_auditevent"})).items():
        for row in rows:
            text = repr(row)
            assert "rin.private@example.org" not in text and "Rin Hoshino" not in text, table
    tombstone = AuditEvent.objects.get(verb="account.erased")
    assert tombstone.reason == "DSR-2026-0042" and "rin" not in json.dumps(tombstone.after)
    assert seal_pending(full=True) >= 1
    assert verify_chain().intact
    call_command("audit", "verify", stdout=io.StringIO())  # exit 0: no CommandError


def test_erasing_twice_or_without_a_reason_is_refused_with_one_line(cast):
    with pytest.raises(CommandError) as no_reason:
        call_command("erase", "user", "rin", "--reason", " ", stdout=io.StringIO())
    assert "\n" not in str(no_reason.value)
    _erase("user", "rin", "--reason", "DSR-1")
    with pytest.raises(CommandError) as twice:
        call_command("erase", "user", f"erased-{cast.rin.pk}", "--reason", "DSR-1", stdout=io.StringIO())
    assert "already erased" in str(twice.value)


def test_the_last_active_admin_cannot_be_erased(cast):
    with pytest.raises(CommandError):
        call_command("erase", "user", "ada", "--reason", "DSR-2", stdout=io.StringIO())
    assert User.objects.get(pk=cast.ada.pk).username == "ada"


def test_deactivated_accounts_past_the_retention_period_are_erased_and_no_others(cast, settings):
    settings.RETAIN_INACTIVE_USER_DAYS = 30
    long_ago = timezone.now() - datetime.timedelta(days=31)
    gone = make_person("gone")
    recent = make_person("recent")
    do_update_user(actor=CAST_ACTOR, user=gone, is_active=False)
    do_update_user(actor=CAST_ACTOR, user=recent, is_active=False)
    User.objects.filter(pk__in=[gone.pk, cast.kai.pk]).update(date_joined=long_ago, last_login=long_ago)

    planned = _erase("expired", "--dry-run")
    assert planned == {"retention_days": 30, "dry_run": True, "accounts": [gone.pk]}
    assert User.objects.get(pk=gone.pk).username == "gone"

    assert _erase("expired")["accounts"] == [gone.pk]
    assert User.objects.get(pk=gone.pk).username == f"erased-{gone.pk}"
    assert User.objects.get(pk=recent.pk).username == "recent"  # deactivated, but not for long enough
    assert User.objects.get(pk=cast.kai.pk).username == "kai"  # inactive for long, but still active
    assert _erase("expired")["accounts"] == []
