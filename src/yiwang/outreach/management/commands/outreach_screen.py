"""Run a screening of the pilot streets now (cron it for a schedule: ``OUTREACH["schedule_days"]``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from yiwang.outreach.services import screening_run


class Command(BaseCommand):
    help = "Screen the pilot streets' residents for the configured benefits and list them for visits."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--purpose", default="scheduled screening")

    def handle(self, *args: Any, **options: Any) -> None:
        sc = screening_run(actor=None, purpose=options["purpose"])
        for code, f in sc.figures.items():
            self.stdout.write(f"{code}: screened {f['screened']}, eligible {f['eligible']}")
