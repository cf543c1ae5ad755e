"""Proactive outreach at the district's size: screen 4,000,000 residents for both benefits.

On PostgreSQL (a scratch database it creates, migrates and drops) it loads the demo district's organisations,
generates ``--scale`` residents set-based (``generate_series``: the age pyramid and community weights of
``outreach.generate``; a third with the district's household registration; 70% of the eligible already hold
each benefit), then measures, each inside a transaction that is rolled back (median of ``--repeat``):

* **engine**: ``outreach.services.screening_run`` for both benefits over every street (the bench makes every
  street a pilot street): rule sets → one ``INSERT … SELECT`` per benefit → stored visit rows, plus the runs,
  the screening and the audit events;
* **floor**: a hand-written ``INSERT … SELECT`` of the same two predicates into the same table;
* **naive**: model objects and a Python loop over a sample of ``--sample`` residents (each resident's facts
  read by the ORM one query at a time, the rule checked in Python, a ``Visit`` saved), extrapolated.

It prints the figures, the ratio engine/floor (goal ≤ 1.5×) and naive/engine (goal ≥ 30×).

    .venv/bin/python bench/outreach.py [--scale 4000000] [--repeat 3] [--sample 2000] [--db yiwang_bench_outreach]

Environment: BENCH_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=4_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sample", type=int, default=2000)
    parser.add_argument(
        "--profile", action="store_true", help="print each statement of one engine run, timed"
    )
    parser.add_argument("--db", default="yiwang_bench_outreach")
    args = parser.parse_args()
    admin = os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parts = urlsplit(admin)
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("the benchmark only runs against a database on loopback")
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{args.db}"')
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path="/" + args.db))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.config.settings.local")
    os.environ["DEBUG"] = "false"
    try:
        run(args)
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')


class Rollback(Exception):
    pass


def _timed(fn: Any) -> float:
    from django.db import transaction

    t = time.perf_counter()
    try:
        with transaction.atomic():
            fn()
            raise Rollback
    except Rollback:
        pass
    return time.perf_counter() - t


GENERATE = """
INSERT INTO outreach_resident (name, id_number, id_number_index, id_masked, sex, birth_date, hukou,
                               street_id, community_id, disability, status)
SELECT '居民' || g, '', 'bench-' || g, '440***********' || lpad((g %% 10000)::text, 4, '0'),
       CASE WHEN g %% 2 = 0 THEN 'F' ELSE 'M' END,
       %(today)s::date - (a.age * 365 + (g * 7919) %% 365)::int,
       CASE WHEN (g * 31) %% 100 < 35 THEN '440307' WHEN (g * 31) %% 100 < 45 THEN '440303' ELSE '430521' END,
       c.street_id, c.id, '', 'active'
FROM generate_series(1, %(n)s) g
CROSS JOIN LATERAL (SELECT CASE
    WHEN (g * 7) %% 1000 < 170 THEN (g %% 15)
    WHEN (g * 7) %% 1000 < 290 THEN 15 + (g %% 10)
    WHEN (g * 7) %% 1000 < 540 THEN 25 + (g %% 10)
    WHEN (g * 7) %% 1000 < 720 THEN 35 + (g %% 10)
    WHEN (g * 7) %% 1000 < 840 THEN 45 + (g %% 10)
    WHEN (g * 7) %% 1000 < 940 THEN 55 + (g %% 10)
    WHEN (g * 7) %% 1000 < 990 THEN 65 + (g %% 15)
    ELSE 80 + (g %% 20) END AS age) a
JOIN (SELECT id, street_id, row_number() OVER (ORDER BY code) - 1 AS k, count(*) OVER () AS m
      FROM accounts_community) c ON c.k = (g * 13) %% c.m
"""

HOLDERS = """
INSERT INTO outreach_residentbenefit (resident_id, benefit, since)
SELECT id, %(b)s, %(today)s::date - 400 FROM outreach_resident
WHERE birth_date <= %(cut)s AND hukou LIKE %(hukou)s AND id %% 10 < 7
"""

FLOOR = """
INSERT INTO outreach_visit (run_id, resident_id, street_id, community_id, screening_id, benefit, outcome,
                            attempts, note)
SELECT %(run)s, r.id, r.street_id, r.community_id, %(screening)s, %(b)s, 'pending', 0, ''
FROM outreach_resident r
WHERE r.street_id = ANY(%(streets)s) AND r.birth_date <= %(cut)s AND r.hukou LIKE %(hukou)s
  AND r.status = 'active'
  AND NOT EXISTS (SELECT 1 FROM outreach_residentbenefit h WHERE h.resident_id = r.id AND h.benefit = %(b)s)
  AND NOT EXISTS (SELECT 1 FROM applications_application a JOIN cases_case c ON c.id = a.case_id
                  JOIN catalogue_item i ON i.id = a.item_id
                  WHERE c.applicant_person_id = r.person_id AND c.is_open AND i.code = %(item)s)
  AND NOT EXISTS (SELECT 1 FROM outreach_visit v WHERE v.resident_id = r.id AND v.benefit = %(b)s
                  AND v.outcome IN ('pending', 'retry'))
"""


def run(args: argparse.Namespace) -> None:  # noqa: C901 - one linear script
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import override_settings
    from django.utils import timezone
    from rich.console import Console
    from rich.progress import Progress
    from rich.table import Table

    from yiwang.accounts.models import Street
    from yiwang.demo.context import DemoContext
    from yiwang.demo.loaders import accounts as accounts_demo
    from yiwang.outreach import services as os_
    from yiwang.outreach.facts import PROVIDER
    from yiwang.outreach.models import Resident, Screening, Visit
    from yiwang.rules import evaluate as ev
    from yiwang.rules import selectors as rules
    from yiwang.rules.facts import coerce, years_cutoff

    console = Console()
    call_command("migrate", verbosity=0)
    with Progress(console=console, transient=True) as progress:
        accounts_demo.load(DemoContext(out=lambda s: None, progress=progress))
    today = timezone.localdate()
    streets = list(Street.objects.order_by("code").values_list("code", flat=True))
    street_ids = list(Street.objects.values_list("pk", flat=True))
    conf = {**settings.OUTREACH, "pilot_streets": streets}
    t = time.perf_counter()
    with Progress(console=console, transient=True) as progress:
        bar = progress.add_task(f"generating {args.scale:,} residents", total=args.scale)
        step = 500_000
        with connection.cursor() as cur:
            for start in range(0, args.scale, step):
                n = min(step, args.scale - start)
                cur.execute(
                    GENERATE.replace(
                        "generate_series(1, %(n)s)",
                        f"generate_series({start + 1}::bigint, {start + n}::bigint)",
                    ),
                    {"today": today, "n": n},
                )
                progress.advance(bar, n)
            for b, age, hukou in (("senior_card", 65, "440307"), ("old_age_allowance", 80, "4403%")):
                cur.execute(
                    HOLDERS, {"b": b, "today": today, "cut": years_cutoff(today, age), "hukou": hukou}
                )
            cur.execute(
                "VACUUM ANALYZE outreach_resident"
            )  # the steady state autovacuum keeps: visibility map set
            cur.execute("ANALYZE")
    console.print(f"generated {Resident.objects.count():,} residents in {time.perf_counter() - t:.0f} s")

    with override_settings(OUTREACH=conf):
        versions = os_.rules_ensure()
        eligible = {}

        def engine() -> None:
            sc = os_.screening_run(actor=None, purpose="bench", streets=streets)
            eligible["engine"] = sum(f["eligible"] for f in sc.figures.values())

        def floor() -> None:
            sc = Screening.objects.create(purpose="floor", streets=streets, started_at=timezone.now())
            run_id = rules.runs().values_list("pk", flat=True).first()
            n = 0
            with connection.cursor() as cur:
                for b, age, hukou in (("senior_card", 65, "440307"), ("old_age_allowance", 80, "4403%")):
                    cur.execute(
                        FLOOR,
                        {
                            "run": run_id,
                            "screening": sc.pk,
                            "b": b,
                            "streets": street_ids,
                            "cut": years_cutoff(today, age),
                            "hukou": hukou,
                            "item": conf["benefits"][b]["item"],
                        },
                    )
                    n += cur.rowcount
            eligible["floor"] = n

        engine()  # once outside the timing: creates a run row the floor can reference, warms the caches
        Visit.objects.all().delete()
        e_times, f_times = [], []
        for _ in range(args.repeat):
            e_times.append(_timed(engine))
            f_times.append(_timed(floor))
        e, f = statistics.median(e_times), statistics.median(f_times)
        assert eligible["engine"] == eligible["floor"], eligible
        if args.profile:
            _profile(console, engine)

        # The naive way: model objects, one resident at a time.
        sample = list(Resident.objects.order_by("?")[: args.sample])
        docs = {code: rules.document_of(v) for code, v in versions.items()}

        def naive() -> None:
            sc = Screening.objects.create(purpose="naive", streets=streets, started_at=timezone.now())
            run = rules.runs().first()
            for r in sample:
                for code, doc in docs.items():
                    row = PROVIDER.queryset(as_of=today).filter(pk=r.pk).values(*PROVIDER.facts).first()
                    facts = {k: coerce(PROVIDER.facts[k], v) for k, v in row.items()}
                    if ev.batch_value(doc, facts)[0] == ev.ELIGIBLE:
                        Visit.objects.create(
                            screening=sc,
                            run=run,
                            resident=r,
                            benefit=code,
                            street_id=r.street_id,
                            community_id=r.community_id,
                        )

        n_time = _timed(naive) * (Resident.objects.count() / max(len(sample), 1))

    table = Table(title=f"Outreach screening, {args.scale:,} residents, both benefits")
    for col in ("measure", "seconds", "eligible listed"):
        table.add_column(col)
    table.add_row("engine (rules → INSERT … SELECT → visits)", f"{e:.2f}", f"{eligible['engine']:,}")
    table.add_row("floor (hand-written INSERT … SELECT)", f"{f:.2f}", f"{eligible['floor']:,}")
    table.add_row(f"naive (ORM loop on {args.sample:,}, extrapolated)", f"{n_time:.0f}", "")
    console.print(table)
    console.print(f"engine / floor = {e / f:.2f}× (goal ≤ 1.5×)")
    console.print(f"naive / engine = {n_time / e:.0f}× (goal ≥ 30×)")


def _profile(console: Any, fn: Any) -> None:
    """Where one engine run spends its time: every statement with its milliseconds, slowest first."""
    from django.db import connection, transaction

    from yiwang.rules.services import batch_planner

    spent: list[tuple[float, str]] = []

    def timer(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        t = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent.append((time.perf_counter() - t, sql, params))

    t = time.perf_counter()
    with transaction.atomic(), connection.execute_wrapper(timer):
        fn()
        transaction.set_rollback(True)
    total = time.perf_counter() - t
    console.print(
        f"one engine run: {total * 1000:.0f} ms, {len(spent)} statements, "
        f"{sum(s for s, _q, _p in spent) * 1000:.0f} ms in the database"
    )
    for s, sql, _p in sorted(spent, key=lambda x: -x[0])[:15]:
        console.print(f"{s * 1000:8.1f} ms  {' '.join(sql.split())[:160]}")
    _s, sql, params = max(
        (x for x in spent if x[1].startswith('INSERT INTO "outreach_visit"')), key=lambda x: x[0]
    )
    with transaction.atomic(), connection.cursor() as cur:
        batch_planner()  # planned as the engine plans its statements
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        console.print(" ".join(sql.split()), soft_wrap=True)
        console.print("\n".join(r[0] for r in cur.fetchall()), soft_wrap=True)
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
