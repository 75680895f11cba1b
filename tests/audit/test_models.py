"""The ORM refuses every way of changing or removing audit rows."""

from __future__ import annotations

import pytest

from shinsa.audit.models import AppendOnlyError, AuditEvent, AuditSeal
from shinsa.audit.sealing import seal_pending
from tests.audit.writes import write_event


@pytest.fixture
def sealed_event(db) -> AuditEvent:
    event = write_event()
    seal_pending()
    return event


def test_it_refuses_to_save_an_existing_event(sealed_event):
    sealed_event.verb = "changed"
    with pytest.raises(AppendOnlyError, match="audit.AuditEvent rows are append-only: save"):
        sealed_event.save()


def test_it_refuses_to_delete_an_event_or_a_seal(sealed_event):
    with pytest.raises(AppendOnlyError, match="delete"):
        sealed_event.delete()
    with pytest.raises(AppendOnlyError, match="audit.AuditSeal rows are append-only: delete"):
        sealed_event.seal.delete()


@pytest.mark.parametrize("model", [AuditEvent, AuditSeal])
def test_it_refuses_queryset_update_delete_and_bulk_update(sealed_event, model):
    rows = model.objects.all()
    with pytest.raises(AppendOnlyError, match="update"):
        rows.update(pk=99)
    with pytest.raises(AppendOnlyError, match="delete"):
        rows.delete()
    with pytest.raises(AppendOnlyError, match="bulk_update"):
        model.objects.bulk_update(list(rows), ["pk"])
    with pytest.raises(AppendOnlyError, match="update_or_create"):
        model.objects.update_or_create(pk=1)
    assert model.objects.count() == 1


def test_it_refuses_a_filtered_update_through_the_manager(sealed_event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=sealed_event.pk).update(reason="edited")
    assert AuditEvent.objects.get(pk=sealed_event.pk).reason == ""


def test_it_protects_events_from_cascades_of_their_actor(cast):
    from django.db.models import ProtectedError

    write_event(actor=cast.rin)
    with pytest.raises(ProtectedError):
        cast.rin.delete()


@pytest.mark.db_sensitive
@pytest.mark.django_db(transaction=True)
def test_it_restores_a_dumpdata_file_into_empty_tables_but_never_over_existing_rows(tmp_path):
    from django.core.management import call_command

    from shinsa.audit.verification import verify_chain

    for i in range(3):
        write_event(object_id=str(i), after={"state": "審査中"})
    seal_pending()
    dump = tmp_path / "audit.json"
    call_command("dumpdata", "audit", output=str(dump), verbosity=0)
    call_command("flush", "--noinput", verbosity=0)
    call_command("loaddata", str(dump), verbosity=0)
    assert AuditSeal.objects.count() == 3 and verify_chain().intact
    write_event(object_id="after-restore")  # the id sequence was moved past the restored rows
    assert seal_pending() == 1 and verify_chain().intact
    with pytest.raises(AppendOnlyError):
        call_command("loaddata", str(dump), verbosity=0)
