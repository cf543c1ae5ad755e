from __future__ import annotations

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from yiwang.core.periodic import periodic_jobs

log = logging.getLogger("yiwang.periodic")


class Command(BaseCommand):
    help = "Run the periodic jobs (sweeps): once (for cron) or in a loop."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="run every job once and exit")

    def handle(self, *args: Any, **options: Any) -> None:
        jobs = periodic_jobs()
        last: dict[str, float] = {}
        while True:
            now = time.monotonic()
            for job in jobs:
                if options["once"] or now - last.get(job.name, -1e9) >= job.every_seconds:
                    try:
                        result = job.run()
                        self.stdout.write(f"{job.name}: {result}")
                    except Exception:  # a failing job must not stop the others
                        log.exception("periodic job %s failed", job.name)
                    last[job.name] = now
            if options["once"]:
                return
            time.sleep(5)
