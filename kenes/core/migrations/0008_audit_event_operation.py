"""The business action an audit event was written in (``adopt``, ``sign``…).

Adding a column rebuilds ``core_auditevent`` on SQLite, which drops its append-only triggers: they are
installed again (``0006``). Events written before keep an empty action, and their hashes, which name
the action only when there is one, still verify."""

import importlib

from django.db import migrations, models

_triggers = importlib.import_module("kenes.core.migrations.0006_audit_append_only_triggers")


def reinstall_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in _triggers.SQLITE_TRIGGERS:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_audit_roots_and_notification_records"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="operation",
            field=models.CharField(
                blank=True, db_index=True, default="", max_length=40, verbose_name="business action"
            ),
        ),
        migrations.RunPython(reinstall_sqlite_triggers, migrations.RunPython.noop),
    ]
