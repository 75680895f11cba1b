"""The PostgreSQL role the application connects as: full DML on its tables, but only SELECT and
INSERT on the audit tables, and owner of nothing (an owner could disable the append-only trigger).

Run by the tables' owner (the role that runs ``migrate``) at deploy time and again after each
migration; it is idempotent.
"""

from __future__ import annotations

import re

from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _

from shinsa.audit.models import AuditEvent, AuditSeal
from shinsa.audit.scram import scram_sha256_verifier

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_ROLE_ATTRIBUTES = "NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT"
# The app reads which migrations ran but never writes that history.
_READ_ONLY_TABLES = ("django_migrations",)


class AppRoleError(Exception):
    """A reason the role cannot be set up safely; the message is meant for the operator."""


def grant_app_role(*, role: str, password: str | None) -> list[str]:
    """Create or update ``role``; returns the audit tables it may only read and insert into."""
    if connection.vendor != "postgresql":
        raise AppRoleError(
            _("grant-app-role only applies to PostgreSQL; this database is %(vendor)s.")
            % {"vendor": connection.vendor}
        )
    if not ROLE_NAME.match(role):
        raise AppRoleError(
            _("Role name %(role)r is not allowed: use lowercase letters, digits and _ (at most 63).")
            % {"role": role}
        )
    verifier = _verifier(password)
    audit_tables = [model._meta.db_table for model in (AuditEvent, AuditSeal)]
    quoted = connection.ops.quote_name(role)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT current_user, current_schema()")
        current_user, schema = cursor.fetchone()
        if role == current_user:
            raise AppRoleError(
                _("%(role)s runs this command (it owns the tables); choose a separate role for the app.")
                % {"role": role}
            )
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        exists = cursor.fetchone() is not None
        login = " LOGIN PASSWORD %s" if verifier else ("" if exists else " NOLOGIN")
        statement = "ALTER ROLE" if exists else "CREATE ROLE"
        cursor.execute(f"{statement} {quoted} {_ROLE_ATTRIBUTES}{login}", [verifier] if verifier else None)
        _refuse_owner(cursor, role, schema)
        schema_q = connection.ops.quote_name(schema)
        cursor.execute(f"GRANT USAGE ON SCHEMA {schema_q} TO {quoted}")
        cursor.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema_q} FROM {quoted}")
        cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema_q} TO {quoted}")
        cursor.execute(f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {schema_q} TO {quoted}")
        for table in audit_tables:
            cursor.execute(f"REVOKE UPDATE, DELETE ON {connection.ops.quote_name(table)} FROM {quoted}")
        for table in _READ_ONLY_TABLES:
            cursor.execute(
                f"REVOKE INSERT, UPDATE, DELETE ON {connection.ops.quote_name(table)} FROM {quoted}"
            )
        # Tables a later migration creates (as this same owner) are granted too; re-running this
        # command after migrate narrows any new audit table again.
        defaults = f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema_q} GRANT"
        cursor.execute(f"{defaults} SELECT, INSERT, UPDATE, DELETE ON TABLES TO {quoted}")
        cursor.execute(f"{defaults} USAGE, SELECT, UPDATE ON SEQUENCES TO {quoted}")
    return audit_tables


def _verifier(password: str | None) -> str | None:
    if password is None:
        return None
    try:
        return scram_sha256_verifier(password)
    except ValueError:
        raise AppRoleError(_("The password must be non-empty and ASCII.")) from None


def _refuse_owner(cursor, role: str, schema: str) -> None:
    # Owning a table (directly or through a role it inherits) allows ALTER TABLE ... DISABLE TRIGGER.
    cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s AND c.relkind IN ('r', 'p') AND pg_has_role(%s, c.relowner, 'USAGE') "
        "ORDER BY c.relname LIMIT 1",
        [schema, role],
    )
    owned = cursor.fetchone()
    if owned:
        raise AppRoleError(
            _("%(role)s owns table %(table)s (or inherits its owner); the app role must own no tables.")
            % {"role": role, "table": owned[0]}
        )
