"""``yiwang credit import FILE --source S [--no-derive] | derive | rules``: credit records from source systems."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from yiwang.core.errors import ServiceError
from yiwang.credit import selectors, services
from yiwang.credit.rows import FileProblem, RowChecker, read_rows


class Command(BaseCommand):
    help = "Credit records: import a CSV (UTF-8) or Excel file from one source, derive the lists, show the rules."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="check every row, report the bad ones, load and merge the rest")
        imp.add_argument("file")
        imp.add_argument("--source", required=True, help="the source system's code (tax, court, market …)")
        imp.add_argument("--no-derive", action="store_true", help="do not derive the lists afterwards")
        imp.add_argument("--quiet", action="store_true", help="no progress bar")
        sub.add_parser("derive", help="derive every subject's standing from the records (set-based)")
        sub.add_parser("rules", help="install the missing default rules and print the published rules")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"do_{options['action']}")(**options)

    def do_import(
        self, file: str, source: str, no_derive: bool = False, quiet: bool = False, **o: Any
    ) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"no such file: {file}")
        services.credit_rules_install()
        checker = RowChecker()
        size = path.stat().st_size
        with Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            disable=quiet,
            transient=False,
        ) as bar:
            task = bar.add_task(f"{path.name} → {source}", total=None)
            rows = (checker.check(line, raw) for line, raw in read_rows(path))
            try:
                outcome = services.credit_import(
                    actor=None,
                    source=source,
                    rows=rows,
                    file_name=path.name,
                    channel="console",
                    progress=lambda n: bar.update(task, completed=n),
                    derive=not no_derive,
                )
            except (ServiceError, FileProblem) as exc:
                raise CommandError(str(exc)) from exc
        _ = size
        for e in outcome.errors:
            self.stderr.write(f"line {e.line}\t{e.column}\t{e.message}\t{e.value}")
        b = outcome.batch
        self.stdout.write(
            f"{b.rows_total} row(s): {b.inserted} new, {b.updated} replaced, {b.unchanged} unchanged, "
            f"{b.rows_bad} refused (import #{b.pk})"
        )

    def do_derive(self, **o: Any) -> None:
        services.credit_rules_install()
        n = services.credit_derive(actor=None)
        self.stdout.write(f"{n} list entr{'y' if n == 1 else 'ies'}")

    def do_rules(self, **o: Any) -> None:
        services.credit_rules_install()
        rows = [
            {
                "code": r.code,
                "list": r.list,
                "categories": r.categories,
                "min_severity": r.min_severity,
                "active": r.active,
            }
            for r in selectors.rules()
        ]
        self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
