"""The search index (``SearchEntry``): on PostgreSQL with a GIN index over the ``simple`` text search
vector of its keys, which ``kenes.core.search`` queries with exactly that expression. Fill it with
``manage.py rebuild_search_index`` (``make run`` and the demo loader do)."""

import django.db.models.deletion
from django.db import migrations, models

GIN = "CREATE INDEX core_search_entry_fts ON core_searchentry USING gin (to_tsvector('simple'::regconfig, keys))"


def create_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(GIN)


def drop_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS core_search_entry_fts")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0008_audit_event_operation"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("object_id", models.PositiveBigIntegerField()),
                ("keys", models.TextField(blank=True)),
                (
                    "content_type",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="contenttypes.contenttype"
                    ),
                ),
            ],
            options={
                "verbose_name": "search entry",
                "constraints": [
                    models.UniqueConstraint(fields=("content_type", "object_id"), name="core_search_entry_once")
                ],
            },
        ),
        migrations.RunPython(create_gin_index, drop_gin_index),
    ]
