"""`shinsa audit grant-app-role`: the role the app connects as cannot change audit rows."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterator
from io import StringIO

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from shinsa.audit.scram import scram_sha256_verifier
from shinsa.audit.sealing import seal_pending
from tests.audit.writes import connect_directly, postgres_only, raw_sql, run_shinsa, write_event

pytestmark = [postgres_only, pytest.mark.db_sensitive, pytest.mark.django_db(transaction=True)]

PASSWORD_VAR = "SHINSA_TEST_APP_ROLE_PASSWORD"
PASSWORD = "app-role-password-1"


@pytest.fixture
def role(monkeypatch) -> Iterator[str]:
    name = f"shinsa_app_{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv(PASSWORD_VAR, PASSWORD)
    yield name
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name])
        if cursor.fetchone():
            cursor.execute(f'DROP OWNED BY "{name}"')
            cursor.execute(f'DROP ROLE "{name}"')


def grant(role: str, *extra: str) -> str:
    out = StringIO()
    call_command("audit", "grant-app-role", role, *extra, stdout=out)
    return out.getvalue()


def refused(app: psycopg.Connection, statement: str) -> str:
    with pytest.raises(psycopg.errors.InsufficientPrivilege) as raised:
        app.execute(statement)
    return str(raised.value)


def test_it_lets_the_app_role_insert_but_never_update_or_delete_audit_rows(cast, role):
    assert "audit_auditevent, audit_auditseal" in grant(role, "--password-env", PASSWORD_VAR)
    write_event(actor=cast.rin)
    seal_pending()
    with connect_directly(user=role, autocommit=True) as app:
        assert app.execute("SELECT current_user").fetchone()[0] == role
        inserted = app.execute(
            "INSERT INTO audit_auditevent (occurred_at, actor_label, verb, object_type, object_id, reason, "
            "request_id) VALUES (now(), 'worker', 'test.insert', 'test.thing', '2', '', '') RETURNING id"
        ).fetchone()
        assert inserted is not None
        for table in ("audit_auditevent", "audit_auditseal"):
            assert "permission denied" in refused(app, f"UPDATE {table} SET id = id")  # noqa: S608
            assert "permission denied" in refused(app, f"DELETE FROM {table}")  # noqa: S608
            assert "permission denied" in refused(app, f"TRUNCATE {table}")
            assert "must be owner" in refused(app, f"ALTER TABLE {table} DISABLE TRIGGER ALL")
        refused(app, "SET session_replication_role = replica")
        refused(app, "INSERT INTO django_migrations (app, name, applied) VALUES ('x', 'y', now())")
        changed = app.execute("UPDATE accounts_user SET last_name = 'Tanaka' WHERE username = 'rin'")
        assert changed.rowcount == 1
        assert app.execute("DELETE FROM accounts_rolegrant WHERE user_id = %s", [cast.olive.pk]).rowcount == 0
    # The sealer and the verifier run as the app role too.
    sealed = run_shinsa("audit", "seal", user=role)
    assert (sealed.returncode, sealed.stdout.strip()) == (0, "Sealed 1 audit event."), sealed.stderr
    verified = run_shinsa("audit", "verify", user=role)
    assert verified.returncode == 0, verified.stderr


def test_it_stores_only_a_scram_verifier_of_the_password(role):
    grant(role, "--password-env", PASSWORD_VAR)
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolpassword, rolcanlogin, rolsuper FROM pg_authid WHERE rolname = %s", [role])
        stored, can_login, is_super = cursor.fetchone()
    assert can_login and not is_super
    iterations, salt = stored.split("$")[1].split(":")
    assert stored == scram_sha256_verifier(PASSWORD, salt=base64.b64decode(salt), iterations=int(iterations))


def test_it_is_idempotent_and_makes_a_nologin_role_without_a_password(role):
    grant(role)
    grant(role)
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolcanlogin FROM pg_roles WHERE rolname = %s", [role])
        assert cursor.fetchone()[0] is False


def test_it_refuses_the_owner_itself(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        owner = cursor.fetchone()[0]
    with pytest.raises(CommandError, match="choose a separate role"):
        grant(owner)


def test_it_refuses_a_role_that_owns_a_table_and_changes_nothing(role):
    raw_sql(f'CREATE ROLE "{role}" NOLOGIN')
    raw_sql(f'CREATE TABLE "{role}_table" (id int)')
    raw_sql(f'ALTER TABLE "{role}_table" OWNER TO "{role}"')
    try:
        with pytest.raises(CommandError, match=f"owns table {role}_table"):
            grant(role, "--password-env", PASSWORD_VAR)
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolcanlogin FROM pg_roles WHERE rolname = %s", [role])
            assert cursor.fetchone()[0] is False  # the LOGIN change was rolled back
    finally:
        raw_sql(f'DROP TABLE "{role}_table"')


@pytest.mark.parametrize("name", ["Shinsa", "app; DROP TABLE x", "x" * 64, ""])
def test_it_refuses_an_unsafe_role_name(db, name):
    with pytest.raises(CommandError, match="is not allowed"):
        grant(name)


def test_it_refuses_a_missing_password_variable(role, monkeypatch):
    monkeypatch.delenv(PASSWORD_VAR)
    with pytest.raises(CommandError, match=f"{PASSWORD_VAR} is not set"):
        grant(role, "--password-env", PASSWORD_VAR)
