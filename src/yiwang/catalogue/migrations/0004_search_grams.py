"""Search tokens for 1–2 character queries; on PostgreSQL a trigram index over them, an index for the
"shortest names first" ordering of broad queries and one for name prefixes."""

from typing import Any

from django.db import migrations, models


FORWARD = [
    "CREATE INDEX IF NOT EXISTS catalogue_item_search_grams_trgm ON catalogue_item "
    "USING gin (search_grams gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS catalogue_item_name_length ON catalogue_item (length(name), code)",
    "CREATE INDEX IF NOT EXISTS catalogue_item_name_prefix ON catalogue_item (name varchar_pattern_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS catalogue_item_search_grams_trgm",
    "DROP INDEX IF EXISTS catalogue_item_name_length",
    "DROP INDEX IF EXISTS catalogue_item_name_prefix",
]


def forward(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARD:
            schema_editor.execute(sql)


def backward(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0003_constraint_message")]

    operations = [
        migrations.AddField(
            model_name="item",
            name="search_grams",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(forward, backward, elidable=False),
    ]
