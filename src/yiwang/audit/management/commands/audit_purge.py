from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yiwang.audit.services import RetentionError, audit_purge


class Command(BaseCommand):
    help = "Delete audit events older than the retention period (AUDIT_RETENTION_DAYS, at least 180)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--older-than-days", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            count = audit_purge(actor=None, older_than_days=options["older_than_days"])
        except RetentionError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"purged {count} audit events")
