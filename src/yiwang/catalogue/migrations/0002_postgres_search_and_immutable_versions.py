"""PostgreSQL only: pg_trgm GIN indexes for search, and a trigger that keeps published versions immutable.

On SQLite this migration does nothing (search falls back to LIKE over the same columns; immutability is
enforced by the model and the services)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS catalogue_item_search_text_trgm ON catalogue_item "
    "USING gin (search_text gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS catalogue_item_search_pinyin_trgm ON catalogue_item "
    "USING gin (search_pinyin gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS catalogue_item_search_initials_trgm ON catalogue_item "
    "USING gin (search_initials gin_trgm_ops)",
    """
    CREATE OR REPLACE FUNCTION catalogue_itemversion_immutable() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'catalogue_itemversion is immutable: % refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END;
    $$ LANGUAGE plpgsql
    """,
    "DROP TRIGGER IF EXISTS catalogue_itemversion_immutable ON catalogue_itemversion",
    "CREATE TRIGGER catalogue_itemversion_immutable BEFORE UPDATE OR DELETE ON catalogue_itemversion "
    "FOR EACH ROW EXECUTE FUNCTION catalogue_itemversion_immutable()",
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS catalogue_itemversion_immutable ON catalogue_itemversion",
    "DROP FUNCTION IF EXISTS catalogue_itemversion_immutable()",
    "DROP INDEX IF EXISTS catalogue_item_search_text_trgm",
    "DROP INDEX IF EXISTS catalogue_item_search_pinyin_trgm",
    "DROP INDEX IF EXISTS catalogue_item_search_initials_trgm",
]


def forward(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in FORWARD:
        schema_editor.execute(sql, params=None)  # no client-side interpolation: the SQL holds a literal %


def backward(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in BACKWARD:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
