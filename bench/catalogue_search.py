"""Catalogue search latency on PostgreSQL: the demo catalogue (598 items) and one 100 times larger (59,800).

Creates a scratch database, migrates it (pg_trgm GIN indexes included), loads the demo district, runs a
fixed list of 200 queries (Chinese 1–2 characters and longer, whole names, full pinyin, initials,
synonyms, misses) through ``search_items`` and fetches the first 20 results of each, as the search page
does. Then it adds 59,202 items (the catalogue of 100 districts: every demo item again under 99 more
codes) and runs the same queries. Prints median and p99 latency for both sizes and the growth factor
(target ≤ 3×).

    .venv/bin/python bench/catalogue_search.py
    .venv/bin/python bench/catalogue_search.py --copies 9 --rounds 3

Environment: BENCH_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres) creates and drops the
scratch database ``yiwang_bench_catalogue``. Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
DB_NAME = "yiwang_bench_catalogue"  # the default scratch database; --database names another
HARD_LIMIT_SECONDS = 900


def _db_urls() -> tuple[str, str]:
    admin = os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parts = urlsplit(admin)
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("the benchmark only runs against a database on loopback")
    return admin, urlunsplit(parts._replace(path="/" + DB_NAME))


def _admin_sql(admin: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql)


def _django(db_url: str, var_dir: str) -> None:
    os.environ["DATABASE_URL"] = db_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "yiwang.config.settings.local"
    os.environ["YIWANG_VAR_DIR"] = var_dir
    os.environ["MEDIA_ROOT"] = str(Path(var_dir) / "media")
    os.environ["DEBUG"] = "0"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def _load_demo() -> None:
    from django.core.management import call_command
    from django.db import transaction

    from yiwang.demo.context import DemoContext
    from yiwang.demo.loaders import accounts as accounts_demo
    from yiwang.demo.loaders import catalogue as catalogue_demo

    class _Quiet:
        def add_task(self, *args: Any, **kwargs: Any) -> int:
            return 0

        def advance(self, *args: Any, **kwargs: Any) -> None:
            return None

        def update(self, *args: Any, **kwargs: Any) -> None:
            return None

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    ctx = DemoContext(out=lambda s: None, progress=_Quiet())
    with transaction.atomic():
        accounts_demo.load(ctx)
        catalogue_demo.load(ctx)


def build_queries() -> list[str]:
    """200 fixed queries drawn (seeded) from the demo catalogue plus synonyms and misses."""
    from yiwang.catalogue.models import Item
    from yiwang.catalogue.search import _pinyin, default_synonyms

    rng = random.Random(20261122)
    names = sorted(Item.objects.values_list("name", flat=True))
    base = sorted({n.split("（")[0] for n in names})
    queries: list[str] = []
    queries += ["社保", "执照", "医保", "许可", "登记", "备案", "证", "税", "房", "狗"]  # 1–2 characters
    queries += [n[i : i + 2] for n in rng.sample(base, 30) for i in [rng.randrange(max(1, len(n) - 1))]]
    queries += [n[: rng.randint(3, min(6, len(n)))] for n in rng.sample(base, 30)]  # longer fragments
    queries += rng.sample(names, 40)  # whole names (exact match first)
    queries += [_pinyin(n)[0][: rng.randint(6, 16)] for n in rng.sample(base, 30)]  # full pinyin
    queries += [_pinyin(n)[1] for n in rng.sample(base, 30)]  # initials, e.g. jlydzbl
    queries += sorted({t for t, _e in default_synonyms()})[:20]  # synonyms
    queries += ["zzzq", "量子传送许可", "火星", "xyzxyz", "月球登记", "qwerty", "虚构事项", "不存在",
                "abcdefg", "宇宙"]  # fmt: skip
    assert len(queries) == 200, len(queries)
    return queries


def measure(queries: list[str], rounds: int) -> dict[str, float]:
    from yiwang.catalogue.search import search_items

    for q in queries:  # warm-up: plans, caches, pinyin tables
        [i.code for i in search_items(q)[:20]]
    times: list[float] = []
    hits = 0
    for _ in range(rounds):
        for q in queries:
            t0 = time.perf_counter()
            rows = [i.code for i in search_items(q)[:20]]
            times.append((time.perf_counter() - t0) * 1000)
            hits += bool(rows)
    times.sort()
    return {
        "median_ms": statistics.median(times),
        "p99_ms": times[int(len(times) * 0.99) - 1],
        "max_ms": times[-1],
        "queries_with_hits": hits / rounds,
    }


def grow(copies: int) -> int:
    """Add ``copies`` more districts' catalogues: each item again with a new code (same names)."""
    from django.db import connection

    from yiwang.catalogue.models import Item

    originals = list(Item.objects.all())
    fields = [f for f in Item._meta.concrete_fields if f.name not in ("id",)]
    batch: list[Item] = []
    made = 0
    for k in range(1, copies + 1):
        for it in originals:
            clone = Item(**{f.attname: getattr(it, f.attname) for f in fields})
            clone.code = f"{it.code}-P{k:02d}"
            batch.append(clone)
            if len(batch) >= 5000:
                Item.objects.bulk_create(batch)
                made += len(batch)
                batch = []
    if batch:
        Item.objects.bulk_create(batch)
        made += len(batch)
    with connection.cursor() as cur:
        cur.execute("ANALYZE catalogue_item")
    return made


def main() -> None:
    global DB_NAME
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=99, help="extra districts (99 → 59,800 items)")
    parser.add_argument("--rounds", type=int, default=5, help="passes over the 200 queries per size")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--database", default=DB_NAME, help="scratch database to create, use and drop")
    args = parser.parse_args()
    DB_NAME = args.database
    started = time.monotonic()
    admin, db_url = _db_urls()
    _admin_sql(admin, f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
    _admin_sql(admin, f'CREATE DATABASE "{DB_NAME}"')
    try:
        with tempfile.TemporaryDirectory() as var_dir:
            _django(db_url, var_dir)
            from django.db import connection

            from yiwang.catalogue.models import Item

            t0 = time.monotonic()
            _load_demo()
            print(f"demo catalogue loaded in {time.monotonic() - t0:.1f} s: {Item.objects.count()} items")
            queries = build_queries()
            small = measure(queries, args.rounds)
            if time.monotonic() - started > HARD_LIMIT_SECONDS:
                sys.exit("time limit reached")
            t0 = time.monotonic()
            made = grow(args.copies)
            total = Item.objects.count()
            print(f"added {made} items in {time.monotonic() - t0:.1f} s: {total} items")
            large = measure(queries, args.rounds)
            with connection.cursor() as cur:
                cur.execute("SELECT version()")
                pg = cur.fetchone()[0].split(",")[0]
            print(f"\n{pg}; {len(queries)} queries × {args.rounds} rounds, first 20 results each")
            print(
                f"{'catalogue':>12} {'median ms':>10} {'p99 ms':>8} {'max ms':>8} {'queries with hits':>18}"
            )
            for label, r in ((f"{598:,}", small), (f"{total:,}", large)):
                print(
                    f"{label:>12} {r['median_ms']:>10.2f} {r['p99_ms']:>8.2f} {r['max_ms']:>8.2f} "
                    f"{r['queries_with_hits']:>18.0f}"
                )
            print(
                f"growth factor: median {large['median_ms'] / small['median_ms']:.2f}×, "
                f"p99 {large['p99_ms'] / small['p99_ms']:.2f}× (target ≤ 3×)"
            )
            connection.close()
    finally:
        if not args.keep:
            _admin_sql(admin, f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


if __name__ == "__main__":
    main()
