"""PostgreSQL refuses UPDATE and DELETE of audit rows for every role, while TRUNCATE (test flushes)
and a dump/restore keep working."""

from __future__ import annotations

import shutil
import subprocess
import uuid

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from shinsa.audit.models import AuditEvent, AuditSeal
from shinsa.audit.sealing import seal_pending
from tests.audit.writes import connect_directly, postgres_only, raw_sql, run_shinsa, write_event

pytestmark = [postgres_only, pytest.mark.db_sensitive]


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET verb = 'test.forged'",
        "DELETE FROM audit_auditevent",
        "UPDATE audit_auditseal SET hash = md5(hash) || md5(hash)",
        "DELETE FROM audit_auditseal",
    ],
)
def test_it_refuses_updates_and_deletes_even_to_the_superuser(db, statement):
    write_event()
    seal_pending()
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        assert cursor.fetchone()[0] is True
    with pytest.raises(DatabaseError, match="audit rows are append-only"), transaction.atomic():
        raw_sql(statement)
    assert AuditEvent.objects.count() == 1 and AuditSeal.objects.count() == 1


def test_it_still_accepts_inserts(db):
    raw_sql(
        "INSERT INTO audit_auditevent (occurred_at, actor_label, verb, object_type, object_id, reason, "
        "request_id) VALUES (now(), 'system', 'test.raw', 'test.thing', '1', '', '')"
    )
    assert seal_pending() == 1


@pytest.mark.django_db(transaction=True)
def test_it_lets_truncate_and_flush_empty_the_tables():
    write_event()
    seal_pending()
    raw_sql("TRUNCATE audit_auditseal, audit_auditevent")
    assert not AuditEvent.objects.exists()
    write_event()
    seal_pending()
    call_command("flush", "--noinput", verbosity=0)
    assert not AuditEvent.objects.exists() and not AuditSeal.objects.exists()


@pytest.mark.skipif(shutil.which("pg_restore") is None, reason="needs pg_dump and pg_restore")
@pytest.mark.django_db(transaction=True)
def test_it_survives_a_dump_and_restore_with_the_trigger_in_place(tmp_path):
    for i in range(3):
        write_event(object_id=str(i), after={"名前": "審査", "score": 0.93})
    seal_pending()
    params = connection.settings_dict
    target = f"{params['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    dump = tmp_path / "shinsa.dump"
    host = ["-h", params["HOST"] or "127.0.0.1", "-p", str(params["PORT"] or 5432), "-U", params["USER"]]
    subprocess.run(["pg_dump", *host, "-Fc", "-f", str(dump), params["NAME"]], check=True, timeout=120)
    with connect_directly(autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{target}"')
    try:
        subprocess.run(["pg_restore", *host, "-d", target, str(dump)], check=True, timeout=120)
        done = run_shinsa("audit", "verify", dbname=target)
        assert done.returncode == 0, done.stderr
        assert "3 events sealed" in done.stdout
        with connect_directly(dbname=target) as copy:
            with pytest.raises(Exception, match="append-only"):
                copy.execute("DELETE FROM audit_auditevent")
    finally:
        with connect_directly(autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
