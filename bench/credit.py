"""Credit records at the district's size: can the import keep up with a bare COPY, and the reception's lookup
with a bare primary-key read?

On PostgreSQL (a scratch database it creates, migrates and drops) it writes a CSV of ``--scale`` records
(default 2,840,000) in the 14 categories, about one record in ten about a person, then measures in the same run:

* **import**: ``credit_import`` fed by ``credit.rows`` (every row checked: code check characters, dates,
  categories, duplicates), COPY into the staging table, the merge into the indexed records table; against a
  **bare COPY** of the same file into a table of the same columns and the same indexes (goal ≤ 1.5×);
* **re-import**: the same file again (idempotent: nothing written);
* **derivation**: ``credit_derive`` (one INSERT … SELECT per rule, two UPDATEs);
* **standing lookup**: ``credit.selectors.standing_for_key`` for random subjects, p99 over ``--lookups``
  calls, against a bare indexed primary-key read of the subjects table (goal ≤ 2×).

    .venv/bin/python bench/credit.py [--scale 2840000] [--lookups 5000] [--db yiwang_bench_credit]

Environment: BENCH_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres). One connection.
"""

from __future__ import annotations

import argparse
import csv
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
sys.path.insert(0, str(ROOT / "src"))
HEADER = [
    "subject_code",
    "subject_name",
    "category",
    "source_record_id",
    "source_office",
    "decision_date",
    "valid_from",
    "valid_to",
    "severity",
    "text",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=2_840_000, help="records")
    parser.add_argument("--lookups", type=int, default=5000)
    parser.add_argument("--db", default="yiwang_bench_credit")
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


def _uscc(n: int) -> str:
    from yiwang.core.validators import uscc_check_character

    body = f"9144030{n:010d}"
    return body + uscc_check_character(body)


def _rid(n: int) -> str:
    from stdnum.cn import ric

    body = f"440307{1950 + n % 50}{1 + n % 12:02d}{1 + n % 28:02d}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def write_file(path: Path, scale: int, seed: int = 13) -> list[str]:
    """The CSV; returns the subjects' codes."""
    from yiwang.credit.vocabulary import CATEGORIES

    rng = random.Random(seed)
    cats = list(CATEGORIES)
    weights = [12, 3, 10, 2, 4, 6, 3, 2, 1, 2, 1, 8, 40, 6]
    firms = [_uscc(i) for i in range(max(1, scale // 4))]
    people = [_rid(i) for i in range(max(1, scale // 100))]
    offices = [
        "国家税务总局深圳市龙岗区税务局",
        "龙岗区人民法院",
        "深圳市市场监督管理局龙岗监管局",
        "龙岗海关",
        "区人力资源局",
    ]
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        for i in range(scale):
            code = people[rng.randrange(len(people))] if i % 10 == 0 else firms[rng.randrange(len(firms))]
            y = 2016 + i % 10
            decided = f"{y}-{1 + i % 12:02d}-{1 + i % 28:02d}"
            until = f"{y + 3}-{1 + i % 12:02d}-{1 + i % 28:02d}" if i % 3 else ""
            w.writerow(
                [
                    code,
                    "",
                    rng.choices(cats, weights)[0],
                    f"R{i:08d}",
                    offices[i % len(offices)],
                    decided,
                    decided,
                    until,
                    1 + i % 3,
                    "依法认定",
                ]
            )
    return firms + people


def _p99(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=100)[98]


def run(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from yiwang.core import fieldcrypt
    from yiwang.credit import selectors
    from yiwang.credit import services as s
    from yiwang.credit.models import Record, Subject
    from yiwang.credit.rows import RowChecker, read_rows

    console = Console()
    call_command("migrate", verbosity=0)
    s.credit_rules_install()
    tmp = Path(tempfile.mkdtemp(prefix="credit-bench-"))
    path = tmp / "records.csv"
    t = time.perf_counter()
    codes = write_file(path, args.scale)
    console.print(
        f"wrote {args.scale:,} records ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t:.1f} s"
    )

    # the floor: a bare COPY of the same file into a table of the same columns and indexes
    with connection.cursor() as c:
        c.execute(
            "CREATE TABLE bare_credit (subject_code varchar(30), subject_name varchar(200), category varchar(24), "
            "source_record_id varchar(64), source_office varchar(100), decision_date date, valid_from date, "
            "valid_to date, severity smallint, text text, id bigserial PRIMARY KEY)"
        )
        c.execute("CREATE UNIQUE INDEX bare_credit_source_id ON bare_credit (source_record_id)")
        c.execute("CREATE INDEX bare_credit_subject ON bare_credit (subject_code)")
        c.execute("CREATE INDEX bare_credit_category ON bare_credit (category)")
    t = time.perf_counter()
    with connection.cursor() as c, path.open("rb") as fh:
        cols = ", ".join(HEADER)
        with c.cursor.copy(f"COPY bare_credit ({cols}) FROM STDIN (FORMAT csv, HEADER true)") as cp:
            while block := fh.read(1 << 20):
                cp.write(block)
    connection.commit() if not connection.get_autocommit() else None
    bare = time.perf_counter() - t
    console.print(f"bare COPY: {bare:.1f} s")

    def do_import(label: str) -> tuple[float, Any]:
        checker = RowChecker()
        with Progress(
            TextColumn(label),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as bar:
            task = bar.add_task(label, total=args.scale)
            t0 = time.perf_counter()
            out = s.credit_import(
                actor=None,
                source="bench",
                rows=(checker.check(n, raw) for n, raw in read_rows(path)),
                file_name=path.name,
                progress=lambda n: bar.update(task, completed=n),
                derive=False,
            )
            return time.perf_counter() - t0, out

    imported, out = do_import("import")
    b = out.batch
    console.print(f"import: {imported:.1f} s ({b.inserted:,} new, {b.rows_bad} refused)")
    again, out2 = do_import("re-import")
    b2 = out2.batch
    console.print(
        f"re-import: {again:.1f} s ({b2.inserted} new, {b2.updated} replaced, {b2.unchanged:,} unchanged)"
    )
    t = time.perf_counter()
    entries = s.credit_derive()
    derive = time.perf_counter() - t
    console.print(f"derivation: {derive:.1f} s ({entries:,} list entries)")

    rng = random.Random(7)
    keys = []
    for code in rng.sample(codes, min(args.lookups, len(codes))):
        keys.append(fieldcrypt.blind_index(code) if code[:6] == "440307" else code)
    ids = list(Subject.objects.order_by("?").values_list("id", flat=True)[: len(keys)])
    for k in keys[:200]:
        selectors.standing_for_key(k)  # warm
    lookups = []
    for k in keys:
        t0 = time.perf_counter()
        selectors.standing_for_key(k)
        lookups.append(time.perf_counter() - t0)
    pk = []
    with connection.cursor() as c:
        for i in ids:
            t0 = time.perf_counter()
            c.execute("SELECT * FROM credit_subject WHERE id = %s", [i])
            c.fetchone()
            pk.append(time.perf_counter() - t0)
    lookup_p99, pk_p99 = _p99(lookups), _p99(pk)

    table = Table(
        title=f"credit at {args.scale:,} records ({Record.objects.count():,} stored, {Subject.objects.count():,} subjects)"
    )
    for col in ("measure", "time", "floor (same run)", "ratio", "goal"):
        table.add_column(col)
    table.add_row(
        "import (check + COPY + merge)",
        f"{imported:.1f} s",
        f"bare COPY {bare:.1f} s",
        f"{imported / bare:.2f}×",
        "≤ 1.5×",
    )
    table.add_row(
        "re-import (unchanged)", f"{again:.1f} s", f"bare COPY {bare:.1f} s", f"{again / bare:.2f}×", "—"
    )
    table.add_row("list derivation", f"{derive:.1f} s", "—", "—", "—")
    table.add_row(
        "standing lookup p99",
        f"{lookup_p99 * 1000:.2f} ms",
        f"PK read p99 {pk_p99 * 1000:.2f} ms",
        f"{lookup_p99 / pk_p99:.2f}×",
        "≤ 2×",
    )
    console.print(table)
    path.unlink()
    tmp.rmdir()


if __name__ == "__main__":
    main()
