"""Re-encrypt every encrypted identifier under the current key (FIELD_ENCRYPTION_KEY_ID), with progress.

Rotation: add the new key to FIELD_ENCRYPTION_KEYS, make it current, deploy, run this; once it reports
nothing left under the old key, the old key can be removed. Rows are rewritten in batches, each batch in
one transaction; the command can be stopped and run again.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from yiwang.accounts.models import Person, User
from yiwang.core import fieldcrypt

TARGETS = ((Person, ("id_number", "mobile")), (User, ("mobile",)))


def _stale(model: Any, field: str, current: str) -> list[int]:
    table, column = model._meta.db_table, model._meta.get_field(field).column
    with connection.cursor() as cur:
        cur.execute(f"SELECT id, {column} FROM {table} WHERE {column} <> ''")  # noqa: S608 - names from the models
        return [pk for pk, raw in cur.fetchall() if fieldcrypt.key_id_of(raw) != current]


class Command(BaseCommand):
    help = "Re-encrypt resident ID and mobile numbers under the current field-encryption key."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        current = settings.FIELD_ENCRYPTION_KEY_ID
        total = 0
        for model, fields in TARGETS:
            stale = sorted({pk for f in fields for pk in _stale(model, f, current)})
            for start in range(0, len(stale), options["batch"]):
                chunk = stale[start : start + options["batch"]]
                with transaction.atomic():
                    for row in model.objects.select_for_update().filter(pk__in=chunk):
                        row.save(update_fields=[*fields, *(f"{f}_index" for f in fields)])
                total += len(chunk)
                self.stdout.write(f"{model._meta.label}: {min(start + len(chunk), len(stale))}/{len(stale)}")
        self.stdout.write(self.style.SUCCESS(f"{total} rows re-encrypted under key {current}"))
