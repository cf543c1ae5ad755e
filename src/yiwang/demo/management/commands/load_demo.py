from __future__ import annotations

from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from yiwang.audit.services import audit_record
from yiwang.demo.context import DEMO_PASSWORD, DemoContext, demo_loaders


class Command(BaseCommand):
    help = "Load the demo district (idempotent: a second run changes nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet-logins", action="store_true", help="do not print the demo logins")
        parser.add_argument(
            "--only",
            action="append",
            default=[],
            metavar="CONTEXT",
            help="load only these contexts' demo data (repeatable), e.g. --only accounts",
        )
        parser.add_argument(
            "--cases",
            type=int,
            default=None,
            metavar="N",
            help="how many applications the demo history has (default: data/applications.json, 400)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        console = Console(file=cast("IO[str]", self.stdout), highlight=False)
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=False,
            disable=not self.stdout.isatty(),
        ) as progress:
            ctx = DemoContext(
                out=lambda s: console.print(s), progress=progress, options={"cases": options["cases"]}
            )
            with transaction.atomic():  # all or nothing, with its one audit event
                for label, load in demo_loaders():
                    if options["only"] and label not in options["only"]:
                        continue
                    load(ctx)
                    self.stdout.write(f"  {label}: loaded")
                if ctx.created:
                    audit_record(actor=None, action="demo.load", data={"created": ctx.created})
        if ctx.created:
            self.stdout.write("created: " + ", ".join(f"{k} {v}" for k, v in sorted(ctx.created.items())))
        else:
            self.stdout.write("demo district already loaded: nothing changed")
        if not options["quiet_logins"]:
            self.stdout.write("")
            self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
            for role, username, where in ctx.logins:
                self.stdout.write(f"  {username:<12} {role}  ·  {where}")
