"""On PostgreSQL, refuse UPDATE and DELETE of audit rows in the database itself.

A BEFORE row trigger binds every role, the superuser and the table owner included, unless they
first disable it (``ALTER TABLE ... DISABLE TRIGGER`` needs ownership; ``session_replication_role``
needs superuser). TRUNCATE (test flushes) fires no row trigger, and restores load rows with COPY
(inserts), so both keep working. SQLite has no roles; the ORM guard is what protects it.
"""

from django.db import migrations

FUNCTION = "shinsa_audit_append_only"
TABLES = ("audit_auditevent", "audit_auditseal")

CREATE_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit rows are append-only: % on % is refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_FUNCTION, params=None)  # no placeholders: RAISE uses %
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()"
        )


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_seal")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
