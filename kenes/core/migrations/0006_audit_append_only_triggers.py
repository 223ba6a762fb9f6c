"""The audit log refuses UPDATE and DELETE on SQLite too, and TRUNCATE on PostgreSQL.

PostgreSQL's row trigger (``0002_audit_chain``) does not fire on TRUNCATE: a statement trigger refuses
it. SQLite has no privileges and no TRUNCATE; its triggers abort any UPDATE or DELETE of an event.
Only someone who can change the schema (drop a trigger, or on PostgreSQL a superuser who sets
``session_replication_role``) gets past them, which is what the test suite does to empty its database
and to tamper with the chain. A later migration that rebuilds ``core_auditevent`` on SQLite (Django
copies the table and drops the old one, triggers included) must install these triggers again: the
tests that a raw UPDATE and DELETE fail would catch it."""

from django.db import migrations

SQLITE_TRIGGERS = [
    """
    CREATE TRIGGER IF NOT EXISTS core_auditevent_no_update BEFORE UPDATE ON core_auditevent
    BEGIN
        SELECT RAISE(ABORT, 'the audit log is append-only: UPDATE on core_auditevent is refused');
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS core_auditevent_no_delete BEFORE DELETE ON core_auditevent
    BEGIN
        SELECT RAISE(ABORT, 'the audit log is append-only: DELETE on core_auditevent is refused');
    END
    """,
]
DROP_SQLITE_TRIGGERS = [
    "DROP TRIGGER IF EXISTS core_auditevent_no_update",
    "DROP TRIGGER IF EXISTS core_auditevent_no_delete",
]

POSTGRESQL_NO_TRUNCATE = """
CREATE TRIGGER core_auditevent_no_truncate
    BEFORE TRUNCATE ON core_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION kenes_audit_append_only();
"""
DROP_POSTGRESQL_NO_TRUNCATE = "DROP TRIGGER IF EXISTS core_auditevent_no_truncate ON core_auditevent;"


def add_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for statement in SQLITE_TRIGGERS:
            schema_editor.execute(statement, params=None)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_NO_TRUNCATE, params=None)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for statement in DROP_SQLITE_TRIGGERS:
            schema_editor.execute(statement, params=None)
    elif vendor == "postgresql":
        schema_editor.execute(DROP_POSTGRESQL_NO_TRUNCATE, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0005_import_job_started_at")]

    operations = [migrations.RunPython(add_triggers, drop_triggers)]
