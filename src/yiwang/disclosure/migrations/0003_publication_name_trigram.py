"""PostgreSQL only: a pg_trgm GIN index so the public 双公示 search by part of a party's name stays fast at
millions of publications (docs/benchmarks.md, bench/disclosure.py). SQLite scans, which is fine at its size."""

from __future__ import annotations

from typing import Any

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS disclosure_publication_name_trgm ON disclosure_publication "
    "USING gin (party_name gin_trgm_ops)",
]
BACKWARD = ["DROP INDEX IF EXISTS disclosure_publication_name_trgm"]


def forward(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARD:
            schema_editor.execute(sql)


def backward(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0002_proactive_disclosure")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
