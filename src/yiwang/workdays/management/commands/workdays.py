"""``yiwang workdays add|between|next|explain|import|publish`` — the working-day calendar from the console."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils import translation

from yiwang.core.errors import ServiceError
from yiwang.workdays.calendar import get_calendar, package_calendar
from yiwang.workdays.engine import CalendarRangeError, WorkCalendar
from yiwang.workdays.inputs import parse_date, parse_days, parse_year
from yiwang.workdays.services import CalendarImportError, calendar_import, calendar_publish_year
from yiwang.workdays.text import add_sentence


def _calendar(stderr: Any) -> WorkCalendar:
    try:
        return get_calendar()
    except DatabaseError:
        stderr.write(
            "warning: the database is not available; using the chinesecalendar package only (2004-2026)"
        )
        return package_calendar()


class _SubParser(CommandParser):
    """Subcommands accept ``--language`` after their arguments too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_argument("--language", default="", help="zh-hans (default) or en")


class Command(BaseCommand):
    help = "Working days: add, between, next, explain; import and publish the bureau's calendar."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--language", default="", help="zh-hans (default) or en, for explanations")
        sub = parser.add_subparsers(dest="action", required=True, parser_class=_SubParser)
        p = sub.add_parser("add", help="the N-th working day after START (START not counted)")
        p.add_argument("start")
        p.add_argument("days")
        p = sub.add_parser("between", help="working days in (START, END]")
        p.add_argument("start")
        p.add_argument("end")
        p = sub.add_parser("next", help="the first working day on or after DATE")
        p.add_argument("date")
        p = sub.add_parser("explain", help="how the N-th working day after START is reached")
        p.add_argument("start")
        p.add_argument("days")
        p = sub.add_parser("import", help="import a CSV of date,kind,name (kind: holiday or workday)")
        p.add_argument("file")
        p.add_argument("--replace", action="store_true", help="the file replaces all entries of its years")
        p.add_argument(
            "--source", default="", help="where the dates come from (e.g. the State Council notice)"
        )
        p = sub.add_parser("publish", help="publish YEAR (its entries become final; open clocks recomputed)")
        p.add_argument("year")
        p.add_argument("--source", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        lang = options.get("language") or "zh-hans"
        with translation.override(lang):
            try:
                getattr(self, "do_" + options["action"])(options)
            except ServiceError as exc:
                raise CommandError(exc.as_dict()["message"]) from None
            except CalendarRangeError as exc:
                raise CommandError(str(exc)) from None

    def do_add(self, o: dict[str, Any]) -> None:
        start, n = parse_date(o["start"], "start"), parse_days(o["days"], "days")
        cal = _calendar(self.stderr)
        due = cal.add_workdays(start, n)
        self.stdout.write(due.isoformat() + (" provisional" if cal.is_provisional(start, due) else ""))

    def do_between(self, o: dict[str, Any]) -> None:
        a, b = parse_date(o["start"], "start"), parse_date(o["end"], "end")
        self.stdout.write(str(_calendar(self.stderr).workdays_between(a, b)))

    def do_next(self, o: dict[str, Any]) -> None:
        d = parse_date(o["date"], "date")
        cal = _calendar(self.stderr)
        nxt = cal.next_workday(d)
        self.stdout.write(nxt.isoformat() + ("" if cal.is_published(nxt.year) else " provisional"))

    def do_explain(self, o: dict[str, Any]) -> None:
        start, n = parse_date(o["start"], "start"), parse_days(o["days"], "days")
        e = _calendar(self.stderr).explain(start, n)
        self.stdout.write(e.due.isoformat() + (" provisional" if e.provisional else ""))
        self.stdout.write(add_sentence(e.to_dict(with_days=False)))
        k = 0
        for d in e.days:
            if d.working:
                k += 1
            mark = f"#{k}" if d.working else "-"
            name = translation.gettext(d.name) if d.name else ""
            self.stdout.write(
                f"{d.date.isoformat()} {d.date.strftime('%a')} {d.kind:<8} {mark:>5} {name}".rstrip()
            )

    def do_import(self, o: dict[str, Any]) -> None:
        path = Path(o["file"])
        try:
            text = sys.stdin.read() if o["file"] == "-" else path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {o['file']}: {exc}") from None
        try:
            change = calendar_import(actor=None, text=text, replace=o["replace"], source=o["source"])
        except CalendarImportError as exc:
            for line, message in exc.problems:
                self.stderr.write(f"line {line}: {message}")
            raise CommandError(f"{len(exc.problems)} bad row(s); nothing was imported") from None
        self.stdout.write(
            f"imported {change.entries} entries; published {', '.join(map(str, change.years))}; "
            f"recomputed {len(change.recomputed)} open clocks"
        )

    def do_publish(self, o: dict[str, Any]) -> None:
        year = parse_year(o["year"])
        change = calendar_publish_year(actor=None, year=year, source=o["source"])
        self.stdout.write(f"published {year}; recomputed {len(change.recomputed)} open clocks")
