"""``yiwang catalogue check | stats | export FILE.xlsx | import FILE.xlsx [--dry-run] [--publish] | reindex |
synonyms``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yiwang.accounts.models import Department
from yiwang.catalogue.excel import ImportFailed, export_workbook, import_workbook
from yiwang.catalogue.models import Item
from yiwang.catalogue.rules import check_item
from yiwang.catalogue.search import default_synonyms
from yiwang.catalogue.selectors import catalogue_stats
from yiwang.catalogue.services import item_reindex_all, synonyms_add
from yiwang.catalogue.snapshot import item_snapshot


class Command(BaseCommand):
    help = "Service-item catalogue: consistency check, statistics, Excel export and import, search reindex."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser(
            "check", help="check every item against the consistency rules; exit 1 on any violation"
        )
        sub.add_parser("stats", help="print the catalogue statistics as JSON")
        export = sub.add_parser("export", help="write the catalogue to an .xlsx workbook")
        export.add_argument("file")
        export.add_argument("--department", help="only this department's items (code)")
        imp = sub.add_parser(
            "import", help="read an .xlsx workbook; all rows are checked before anything is saved"
        )
        imp.add_argument("file")
        imp.add_argument("--dry-run", action="store_true", help="only check, write nothing")
        imp.add_argument("--publish", action="store_true", help="publish the imported items as new versions")
        sub.add_parser("reindex", help="recompute the search columns of every item")
        sub.add_parser(
            "synonyms",
            help="add the common search synonyms (社保 → 社会保险 …) missing from the synonym table",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"do_{options['action']}")(**options)

    def do_check(self, **options: Any) -> None:

        qs = (
            Item.objects.select_related("main", "sub", "department", "office")
            .prefetch_related("co_offices", "listed_halls", "materials", "steps__office")
            .order_by("code")
        )
        bad_items = 0
        count = 0
        checked = 0
        for item in qs.iterator(chunk_size=500):
            checked += 1
            violations = check_item(item_snapshot(item))
            if violations:
                bad_items += 1
            for v in violations:
                count += 1
                self.stdout.write(f"{item.code}\t{v.rule}\t{v.message}")
        if count:
            raise CommandError(f"{count} violation(s) in {bad_items} of {checked} item(s)")
        self.stdout.write(f"{checked} item(s) checked: no violations")

    def do_stats(self, **options: Any) -> None:

        self.stdout.write(json.dumps(catalogue_stats(), ensure_ascii=False, indent=2))

    def do_export(self, file: str, department: str | None = None, **options: Any) -> None:

        dept_id = None
        if department:
            dept = Department.objects.filter(code=department).first()
            if dept is None:
                raise CommandError(f"unknown department {department}")
            dept_id = dept.pk
        Path(file).write_bytes(export_workbook(department_id=dept_id))
        self.stdout.write(f"written {file}")

    def do_import(self, file: str, dry_run: bool = False, publish: bool = False, **options: Any) -> None:
        from rich.console import Console
        from rich.progress import Progress

        path = Path(file)
        if not path.is_file():
            raise CommandError(f"no such file: {file}")
        console = Console(file=self.stdout, highlight=False)  # type: ignore[arg-type]
        with Progress(console=console, transient=True, disable=not self.stdout.isatty()) as progress:
            task = progress.add_task("import", total=None)
            try:
                report = import_workbook(
                    path.read_bytes(),
                    actor=None,
                    dry_run=dry_run,
                    publish=publish,
                    progress=lambda done, total: progress.update(task, completed=done, total=total),
                )
            except ImportFailed as exc:
                for p in exc.report.problems:
                    self.stdout.write(f"{p.sheet}\trow {p.row}\t{p.column}\t{p.message}")
                raise CommandError(f"{len(exc.report.problems)} problem(s): nothing imported") from exc
            progress.update(task, completed=1, total=1)
        what = "checked (dry run, nothing written)" if dry_run else "imported"
        self.stdout.write(
            f"{report.items} item(s), {report.materials} material(s), {report.steps} step(s) {what}; "
            f"created {report.created}, updated {report.updated}, published {report.published}"
        )

    def do_reindex(self, **options: Any) -> None:
        self.stdout.write(f"{item_reindex_all()} item(s) reindexed")

    def do_synonyms(self, **options: Any) -> None:
        pairs = default_synonyms()
        added = synonyms_add(actor=None, pairs=pairs)
        self.stdout.write(f"{added} of {len(pairs)} common synonym(s) added")
