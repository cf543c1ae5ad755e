"""``yiwang clocks sweep`` — mark clocks due soon or overdue and notify the responsible staff (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from yiwang.workdays.services import clocks_sweep


class Command(BaseCommand):
    help = "Statutory clocks: 'sweep' marks clocks due soon or overdue and queues notifications (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("sweep", help="recompute open clocks' states and notify (run every few minutes)")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(str(clocks_sweep()))
