"""Import the resident register from a CSV or Excel file, with a progress bar; all rows or none."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.progress import Progress

from yiwang.core.errors import ServiceError
from yiwang.outreach.forms import read_rows
from yiwang.outreach.services import residents_import


class Command(BaseCommand):
    help = "Import residents (columns: name, id_number, community, hukou, disability, benefits)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        rows = read_rows(path.read_bytes(), xlsx=path.suffix.lower() == ".xlsx")
        with Progress() as progress:
            bar = progress.add_task("validating", total=len(rows))
            try:
                n = residents_import(actor=None, rows=rows, progress=lambda k: progress.advance(bar, k))
            except ServiceError as e:
                raise CommandError(f"{e.message}\n{e.fields.get('rows', '')}") from e
        self.stdout.write(f"imported {n} residents")
