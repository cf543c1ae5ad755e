from __future__ import annotations

import subprocess
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the task worker (django-tasks database backend) and the periodic sweeps beside it."

    def handle(self, *args: Any, **options: Any) -> None:
        periodic = subprocess.Popen([sys.executable, "-m", "yiwang", "run_periodic"])
        try:
            call_command("db_worker", verbosity=options["verbosity"])  # -v 0: no line per task
        finally:
            periodic.terminate()
