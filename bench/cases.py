"""Benchmark: the reviewer's inbox and the district figures page at 10,000 and at 1,000,000 cases.

Generates application cases over the demo catalogue with ``bench/casegen.py``, loads them with PostgreSQL
``COPY`` (cases and their application rows; history, materials and clocks are not generated here), rebuilds
the monthly figures rollup, runs ``ANALYZE``, and times

* the reviewer's inbox: ``applications.selectors.inbox`` for a reviewer of the busiest office — the first
  page of 50 open cases sorted by time left, plus the count the page shows;
* the district figures page: a signed-in supervisor's ``GET /applications/figures/`` (rendered HTML)
  and the figures selector behind it;

each as the median of several runs, at 10,000 cases and again after growing to 1,000,000. It prints
both and the growth factor (target ≤ 3×).

Run (needs PostgreSQL; creates and reuses the database ``yiwang_bench``):
``python bench/cases.py [--small 10000] [--large 1000000] [--database-url postgres://…/yiwang_bench]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/yiwang_bench"


def _ensure_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.config.settings.test")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    import django

    django.setup()


def median_ms(fn: Callable[[], Any], repeat: int = 7) -> float:
    fn()  # warm
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def _prepare(console: Any) -> None:
    from django.core.management import call_command
    from rich.progress import Progress

    from yiwang.demo.context import DemoContext

    call_command("migrate", verbosity=0)
    from yiwang.catalogue.models import Item

    if Item.objects.filter(status="published").exists():
        return
    import yiwang.demo.loaders.accounts as accounts_demo
    import yiwang.demo.loaders.catalogue as catalogue_demo

    with Progress(console=console) as progress:
        ctx = DemoContext(out=console.print, progress=progress)
        accounts_demo.load(ctx)
        catalogue_demo.load(ctx)


def _truncate() -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE applications_figurerollup, applications_application, cases_caseparty, "
            "cases_caseassignment, cases_case RESTART IDENTITY "
            "CASCADE"
        )


CASE_COLS = (
    "id",
    "number",
    "kind",
    "status",
    "state_id",
    "is_open",
    "version",
    "title",
    "channel",
    "applicant_person_id",
    "applicant_enterprise_id",
    "owning_office_id",
    "received_by_id",
    "due_date",
    "created_at",
    "received_at",
    "accepted_on",
    "decided_on",
    "closed_at",
    "timeliness",
    "updated_at",
)
APP_COLS = (
    "case_id",
    "item_id",
    "item_version_id",
    "department_id",
    "receiving_hall_id",
    "return_hall_id",
    "instant",
    "no_visit",
    "committed_days",
    "legal_days",
    "conditions",
    "received_on",
    "acceptance_window_ends",
    "correction_given",
    "correction_items",
    "deemed_accepted",
    "rongque",
    "rongque_promise_days",
    "rongque_deadline",
    "rongque_materials",
    "rongque_supplied_on",
    "extended",
    "pause_kind",
    "decision_reason",
    "guidance",
    "delivery_method",
    "delivery_address",
    "tracking_number",
    "delivered_at",
    "public_token",
)


def load_cases(n: int, *, seed: int, counters: dict[Any, int], console: Any) -> float:
    """Generate ``n`` cases and COPY them in; returns seconds."""
    from django.db import connection
    from django.utils import timezone
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from casegen import infos, people, synthesize
    from yiwang.applications.workflow import WORKFLOW
    from yiwang.demo.context import DemoContext
    from yiwang.workdays.calendar import get_calendar

    items, halls = infos()
    cal = get_calendar()
    today = timezone.localdate()
    t0 = time.perf_counter()
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(),
        console=console,
    ) as progress:
        persons, enterprises = people(DemoContext(out=console.print, progress=progress), n=2000)
        task = progress.add_task(f"generating and copying {n:,} cases", total=n, rate="")
        with connection.cursor() as cur:
            cur.execute("SELECT COALESCE(MAX(id), 0) FROM cases_case")
            next_id = cur.fetchone()[0] + 1
        now = timezone.now()
        chunk = 50_000
        done = 0
        rows_iter = synthesize(
            n=n,
            items=items,
            halls=halls,
            persons=persons,
            enterprises=enterprises,
            cal=cal,
            today=today,
            days_back=365,
            seed=seed,
            counters=counters,
        )
        raw = connection.connection  # the psycopg connection
        while done < n:
            batch = []
            for _ in range(min(chunk, n - done)):
                batch.append(next(rows_iter))
            with raw.cursor() as cur:
                with cur.copy(f"COPY cases_case ({', '.join(CASE_COLS)}) FROM STDIN") as copy:
                    for i, r in enumerate(batch):
                        copy.write_row(
                            (
                                next_id + i,
                                r.number,
                                "application",
                                r.status,
                                f"application:{r.status}",
                                WORKFLOW.is_open(r.status),
                                1,
                                r.title,
                                r.channel,
                                r.person_id,
                                r.enterprise_id,
                                r.office_id,
                                r.received_by_id,
                                r.due_date,
                                now,
                                r.received_at,
                                r.accepted_on,
                                r.decided_on,
                                r.closed_at,
                                r.timeliness,
                                now,
                            )
                        )
                with cur.copy(f"COPY applications_application ({', '.join(APP_COLS)}) FROM STDIN") as copy:
                    for i, r in enumerate(batch):
                        it = r.item
                        copy.write_row(
                            (
                                next_id + i,
                                it.item_id,
                                it.version_id,
                                it.department_id,
                                r.receiving_hall_id,
                                r.return_hall_id,
                                it.instant,
                                it.no_visit,
                                it.committed,
                                it.legal,
                                "[]",
                                r.received_at.date(),
                                cal.add_workdays(r.received_at.date(), 5),
                                r.correction_given,
                                "[]",
                                r.deemed_accepted,
                                r.rongque,
                                r.rongque_promise_days,
                                r.rongque_deadline,
                                r.rongque_materials,
                                r.rongque_supplied_on,
                                r.extended,
                                "",
                                r.decision_reason,
                                "",
                                r.delivery_method,
                                "",
                                r.tracking_number,
                                None,
                                r.public_token,
                            )
                        )
                # The kernel's parties and lead assignment of each case.
                with cur.copy(
                    "COPY cases_caseparty (case_id, role, person_id, enterprise_id, name, phone, address, "
                    "anonymous, since) FROM STDIN"
                ) as copy:
                    for i, r in enumerate(batch):
                        copy.write_row(
                            (next_id + i, "applicant", r.person_id, r.enterprise_id, "", "", "", False, now)
                        )
                with cur.copy(
                    "COPY cases_caseassignment (case_id, role, office_id, since, reason) FROM STDIN"
                ) as copy:
                    for i, r in enumerate(batch):
                        copy.write_row((next_id + i, "lead", r.office_id, now, ""))
            raw.commit()
            next_id += len(batch)
            done += len(batch)
            elapsed = time.perf_counter() - t0
            progress.update(task, advance=len(batch), rate=f"{done / elapsed:,.0f} cases/s")
        with connection.cursor() as cur:
            cur.execute(
                "SELECT setval(pg_get_serial_sequence('cases_case', 'id'), (SELECT MAX(id) FROM cases_case))"
            )
    return time.perf_counter() - t0


def measure(console: Any) -> dict[str, float]:
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from yiwang.accounts.models import Office, RoleGrant, User
    from yiwang.applications import selectors
    from yiwang.applications.figures import figures_rebuild
    from yiwang.cases.models import Case

    t0 = time.perf_counter()
    rows = figures_rebuild()
    rebuild = time.perf_counter() - t0
    with connection.cursor() as cur:
        cur.execute("ANALYZE cases_case; ANALYZE applications_application; ANALYZE applications_figurerollup")
    busiest = (
        Case.objects.values("owning_office")
        .order_by()
        .annotate(n=__import__("django.db.models").db.models.Count("id"))
        .order_by("-n")
        .first()
    )
    office = Office.objects.get(pk=busiest["owning_office"])
    reviewer, _c = User.objects.get_or_create(
        username="bench_reviewer",
        defaults={"kind": "staff", "is_staff": True, "office": office, "department": office.department},
    )
    if reviewer.office_id != office.pk:
        User.objects.filter(pk=reviewer.pk).update(office=office, department=office.department)
        reviewer.refresh_from_db()
    RoleGrant.objects.get_or_create(user=reviewer, role="reviewer")
    supervisor, _c = User.objects.get_or_create(
        username="bench_supervisor",
        defaults={"kind": "staff", "is_staff": True, "office": office, "department": office.department},
    )
    RoleGrant.objects.get_or_create(user=supervisor, role="supervisor")
    reviewer = User.objects.get(pk=reviewer.pk)
    supervisor = User.objects.get(pk=supervisor.pk)

    def inbox() -> None:
        qs = selectors.inbox(reviewer)
        list(qs[:50])
        qs.count()

    year = timezone.localdate().year
    client = Client()
    client.force_login(supervisor)

    def figures_page() -> None:
        r = client.get("/applications/figures/", {"year": year, "by": "department"})
        assert r.status_code == 200, r.status_code

    def figures_query() -> None:
        from datetime import date

        selectors.figures(start=date(year, 1, 1), end=date(year, 12, 1), dimension="item")

    open_in_office = selectors.inbox(reviewer).count()
    return {
        "cases": Case.objects.count(),
        "open_in_office": open_in_office,
        "rollup_rows": rows,
        "rollup_rebuild_s": rebuild,
        "inbox_ms": median_ms(inbox),
        "figures_page_ms": median_ms(figures_page),
        "figures_query_ms": median_ms(figures_query),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--seed", type=int, default=20261122)
    args = parser.parse_args(argv)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        print("needs PostgreSQL: --database-url postgres://…", file=sys.stderr)
        return 2
    _ensure_database(args.database_url)
    _setup(args.database_url)
    from rich.console import Console
    from rich.table import Table

    console = Console()
    _prepare(console)
    _truncate()
    counters: dict[Any, int] = {}
    load_small = load_cases(args.small, seed=args.seed, counters=counters, console=console)
    small = measure(console)
    load_large = load_cases(args.large - args.small, seed=args.seed + 1, counters=counters, console=console)
    large = measure(console)
    table = Table(title="cases benchmark (PostgreSQL)")
    table.add_column("")
    table.add_column(f"{small['cases']:,} cases", justify="right")
    table.add_column(f"{large['cases']:,} cases", justify="right")
    table.add_column("growth", justify="right")
    for key, label in [
        ("inbox_ms", "reviewer inbox (first 50 + count), ms"),
        ("figures_page_ms", "district figures page (HTML), ms"),
        ("figures_query_ms", "figures selector by item, ms"),
    ]:
        table.add_row(label, f"{small[key]:.1f}", f"{large[key]:.1f}", f"{large[key] / small[key]:.2f}×")
    table.add_row(
        "open cases in the reviewer's office",
        f"{small['open_in_office']:,}",
        f"{large['open_in_office']:,}",
        "",
    )
    table.add_row("figures rollup rows", f"{small['rollup_rows']:,}", f"{large['rollup_rows']:,}", "")
    table.add_row(
        "rollup rebuild, s", f"{small['rollup_rebuild_s']:.2f}", f"{large['rollup_rebuild_s']:.2f}", ""
    )
    table.add_row("load (generate + COPY), s", f"{load_small:.1f}", f"{load_large:.1f}", "")
    console.print(table)
    worst = max(large["inbox_ms"] / small["inbox_ms"], large["figures_page_ms"] / small["figures_page_ms"])
    console.print(
        f"growth factor (worst of inbox and figures page): {worst:.2f}× — target ≤ 3× "
        f"{'MET' if worst <= 3 else 'NOT MET'}"
    )
    return 0 if worst <= 3 else 1


if __name__ == "__main__":
    sys.exit(main())
