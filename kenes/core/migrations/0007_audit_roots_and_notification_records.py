"""Audit events name the classified record they belong to, and a raised record keeps a level floor
over its earlier events; notifications name the record they are about.

Adding the columns makes Django rebuild ``core_auditevent`` on SQLite (copy, drop, rename), which drops
its append-only triggers: an operation installs them again (``0006``). Notifications written before
name their record in their key (``issued:<instruction>``, ``report:<report>``, ...): the last operation
reads it from there.
(an update outside the audit log: naming the record changes nothing anyone reads)."""

import importlib

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

_triggers = importlib.import_module("kenes.core.migrations.0006_audit_append_only_triggers")


def reinstall_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in _triggers.SQLITE_TRIGGERS:
            schema_editor.execute(statement, params=None)


# The records that notifications written before this migration were about, read from their keys.
_KEYS = {
    "issued": ("control", "instruction"),
    "overdue": ("control", "instruction"),
    "reminder": ("control", "instruction"),
    "report": ("control", "executionreport"),
    "input": ("control", "executionreport"),
    "returned": ("control", "executionreport"),
    "threat-alert": ("threats", "alert"),
}


def name_the_records_of_notifications(apps, schema_editor):
    Notification = apps.get_model("core", "Notification")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for notification in Notification.objects.filter(about_type__isnull=True).only("pk", "key").iterator():
        prefix, _, rest = notification.key.partition(":")
        record_id = rest.split(":", 1)[0]
        if prefix not in _KEYS or not record_id.isdigit():
            continue
        app_label, model = _KEYS[prefix]
        about_type, _created = ContentType.objects.get_or_create(app_label=app_label, model=model)
        Notification.objects.filter(pk=notification.pk).update(about_type=about_type, about_id=int(record_id))


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0006_audit_append_only_triggers"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditLevelFloor",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("root_type", models.CharField(max_length=100, verbose_name="record type")),
                ("root_id", models.CharField(max_length=64, verbose_name="record id")),
                (
                    "level",
                    models.PositiveSmallIntegerField(
                        choices=[
                            (0, "Public"),
                            (10, "For official use"),
                            (20, "Secret"),
                            (30, "Top secret"),
                            (40, "Of special importance"),
                        ],
                        verbose_name="classification",
                    ),
                ),
            ],
            options={
                "verbose_name": "audit level floor",
                "verbose_name_plural": "audit level floors",
            },
        ),
        migrations.AddField(
            model_name="auditevent",
            name="root_id",
            field=models.CharField(blank=True, default="", max_length=64, verbose_name="record id"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="root_type",
            field=models.CharField(blank=True, default="", max_length=100, verbose_name="record type"),
        ),
        migrations.AddField(
            model_name="notification",
            name="about_id",
            field=models.PositiveBigIntegerField(blank=True, null=True, verbose_name="record id"),
        ),
        migrations.AddField(
            model_name="notification",
            name="about_type",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="contenttypes.contenttype",
                verbose_name="record type",
            ),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["root_type", "root_id"], name="core_audit_root_idx"),
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(fields=["about_type", "about_id"], name="core_notification_about_idx"),
        ),
        migrations.AddConstraint(
            model_name="auditlevelfloor",
            constraint=models.UniqueConstraint(fields=("root_type", "root_id"), name="core_audit_floor_once"),
        ),
        migrations.RunPython(reinstall_sqlite_triggers, migrations.RunPython.noop),
        migrations.RunPython(name_the_records_of_notifications, migrations.RunPython.noop),
    ]
