"""The 12345 hotline at ten years' size: do intake, the dispatcher's board and the figures keep up?

On PostgreSQL (a scratch database it creates, migrates and drops) it loads the demo district's
organisations and the hotline's classification tree, then writes tickets in bulk with the demo's archive
writer (``yiwang.demo.loaders.hotline.archive_year``, with a progress bar): one year of 55,000 first,
then nine more, 550,000 in all. At 55,000 and at 550,000 it measures (median of ``--repeat`` runs):

* **duplicates**: the duplicate-candidate lookup an operator's intake runs (same telephone, or same category
  in the community), ``hotline.selectors.duplicate_candidates``;
* **board**: the dispatcher's board page (``GET /hotline/board/``: unassigned, returned, due soon, overdue);
* **figures**: the figures page for the latest year (``GET /hotline/figures/``).

It prints each, and the growth factor from 55,000 to 550,000 (goal ≤ 3× for 10× the tickets). Then the intake
API (``POST /api/hotline/tickets`` with a bearer token, in process: validation, the case, the caller, the clock,
the ticket, the audit event) in tickets/s against a bare INSERT of the same rows (case, ticket, caller, one
transaction per ticket) in the same run. Only loopback is contacted.

    .venv/bin/python bench/hotline.py [--repeat 5] [--calls 200] [--database yiwang_bench_hotline]

Environment: BENCH_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
YEARS = list(range(2016, 2026))
PER_YEAR = 55_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--database", default="yiwang_bench_hotline")
    parser.add_argument("--per-year", type=int, default=PER_YEAR, help="tickets per year (ten years)")
    args = parser.parse_args()
    admin = os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parts = urlsplit(admin)
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("the benchmark only runs against a database on loopback")
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{args.database}"')
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path="/" + args.database))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.config.settings.local")
    os.environ["DEBUG"] = "false"
    try:
        run(args)
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')


def _median(fn: Any, repeat: int) -> float:
    fn()  # warm the caches once
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def run(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.utils import timezone
    from rich.console import Console
    from rich.progress import Progress
    from rich.table import Table

    from yiwang.accounts.models import ApiToken, Community, Office
    from yiwang.accounts.roles import Role
    from yiwang.accounts.services import staff_create
    from yiwang.cases.models import Case
    from yiwang.cases.states import state_key
    from yiwang.demo.context import DemoContext, data_json
    from yiwang.demo.loaders import accounts as accounts_demo
    from yiwang.demo.loaders import hotline as hotline_demo
    from yiwang.hotline import selectors
    from yiwang.hotline import services as hs

    console = Console()
    call_command("migrate", verbosity=0)
    with Progress(console=console, transient=True) as progress:
        ctx = DemoContext(out=lambda s: None, progress=progress)
        accounts_demo.load(ctx)
    data = data_json("hotline.json")
    cats = hotline_demo.tree(ctx, data)
    operator = staff_create(
        actor=None, username="bench_op", password=None, full_name="op", roles=[Role.HOTLINE_OPERATOR]
    )
    dispatcher = staff_create(
        actor=None, username="bench_disp", password=None, full_name="d", roles=[Role.DISPATCHER]
    )
    office = Office.objects.get(code="LG1101")
    supervisor = staff_create(
        actor=None, username="bench_sup", password=None, full_name="s", roles=[Role.SUPERVISOR], office=office
    )
    raw = ApiToken.new_raw()
    ApiToken.objects.create(
        user=operator, name="bench", prefix=ApiToken.prefix_of(raw), digest=ApiToken.digest_of(raw)
    )
    api = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {raw}")
    board_client = Client(HTTP_HOST="127.0.0.1")
    board_client.force_login(dispatcher)
    figures_client = Client(HTTP_HOST="127.0.0.1")
    figures_client.force_login(supervisor)
    community = Community.objects.order_by("code").first()
    assert community is not None

    def write(years: list[int]) -> None:
        with Progress(console=console) as progress:
            task = progress.add_task(f"tickets {years[0]}–{years[-1]}", total=args.per_year * len(years))
            for year in years:
                with transaction.atomic():
                    hotline_demo.archive_year(
                        data,
                        cats,
                        year=year,
                        total=args.per_year,
                        advance=lambda n: progress.advance(task, n),
                    )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    def call(n: int, phone: str) -> dict[str, Any]:
        return {
            "type": "complaint",
            "category": "env-noise",
            "description": f"噪音 {n}",
            "caller_phone": phone,
            "community": community.code,
        }

    def open_tickets(prefix: str, n: int = 20) -> None:
        """A few open tickets today (what the duplicates and the board look for)."""
        for i in range(n):
            hs.ticket_receive(actor=operator, data=hs.TicketInput(**call(i, f"139{prefix}{i:05d}")))

    def measure(latest: int) -> dict[str, float]:
        key = hs.phone_key("13955500001")
        noise = cats["env-noise"]
        return {
            "duplicates": _median(
                lambda: selectors.duplicate_candidates(phone_key=key, category=noise, community=community),
                args.repeat,
            ),
            "board": _median(lambda: board_client.get("/hotline/board/").content, args.repeat),
            "figures": _median(
                lambda: (
                    figures_client.get(
                        "/hotline/figures/", {"start": f"{latest}-01-01", "end": f"{latest}-12-31"}
                    ).content
                ),
                args.repeat,
            ),
        }

    write(YEARS[:1])
    open_tickets("555")
    small_n = Case.objects.filter(kind="hotline").count()
    small = measure(YEARS[0])
    write(YEARS[1:])
    large_n = Case.objects.filter(kind="hotline").count()
    large = measure(YEARS[-1])

    # Intake: the API against a bare INSERT of the same rows.
    t = time.perf_counter()
    for i in range(args.calls):
        r = api.post(
            "/api/hotline/tickets", json.dumps(call(i, f"13966{i:06d}")), content_type="application/json"
        )
        assert r.status_code == 201, r.content
    api_rate = args.calls / (time.perf_counter() - t)
    centre = selectors.centre_office()
    category = cats["env-noise"]
    dt = connection.ops.adapt_datetimefield_value
    state = state_key("hotline", "received")
    t = time.perf_counter()
    for i in range(args.calls):
        with transaction.atomic(), connection.cursor() as cursor:
            now = dt(timezone.now())
            cursor.execute(
                "INSERT INTO cases_case (number, kind, status, state_id, is_open, version, title, channel, "
                "owning_office_id, created_at, received_at, timeliness, updated_at) "
                "VALUES (%s, 'hotline', 'received', %s, true, 1, %s, 'hotline', %s, %s, %s, '', %s) RETURNING id",
                [f"BARE{i:07d}", state, f"噪音 {i}", centre.pk, now, now, now],
            )
            pk = cursor.fetchone()[0]
            cursor.execute(
                "INSERT INTO hotline_ticket (case_id, type, category_id, urgency, business_line, description, "
                "address, community_id, phone_key, phone_last4, returns, handling, reply, rating, reopened, "
                "source, token) VALUES (%s, 'complaint', %s, 'normal', false, %s, '', %s, %s, %s, 0, '', '', '', "
                "0, '', '')",
                [pk, category.pk, f"噪音 {i}", community.pk, hs.phone_key(f"13977{i:06d}"), f"{i:04d}"[-4:]],
            )
            cursor.execute(
                "INSERT INTO cases_caseparty (case_id, role, name, phone, address, anonymous, since) "
                "VALUES (%s, 'caller', '', %s, '', false, %s)",
                [pk, f"13977{i:06d}", now],
            )
    bare_rate = args.calls / (time.perf_counter() - t)

    table = Table(
        title=f"12345 hotline at {small_n:,} and {large_n:,} tickets (PostgreSQL, median of {args.repeat})"
    )
    table.add_column("measure")
    table.add_column(f"{small_n:,}", justify="right")
    table.add_column(f"{large_n:,}", justify="right")
    table.add_column("growth", justify="right")
    for name in ("duplicates", "board", "figures"):
        table.add_row(
            name,
            f"{small[name] * 1000:.1f} ms",
            f"{large[name] * 1000:.1f} ms",
            f"{large[name] / small[name]:.2f}×",
        )
    console.print(table)
    worst = max(large[n] / small[n] for n in small)
    console.print(f"largest growth for 10× the tickets: {worst:.2f}× (goal ≤ 3×)")
    console.print(
        f"intake API: {api_rate:.0f} tickets/s; bare INSERT of the same rows: {bare_rate:.0f} tickets/s; "
        f"ratio {api_rate / bare_rate:.0%}"
    )


if __name__ == "__main__":
    main()
