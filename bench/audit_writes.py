"""Audited writes under concurrency: does the audit chain serialise every audited write?

On PostgreSQL (a scratch database it creates, migrates and drops), ``--writers`` threads (default 16),
each with its own connection, register resident applicants for ``--seconds`` seconds:

* **audited**: through the real service ``accounts.services.person_register`` (validation, the insert and
  its audit event, in one transaction);
* **unaudited floor**: the same validation and insert in one transaction, without the audit event.

It prints writes/s for both, the ratio (goal ≥ 50%), and, after the run, how long the audit sealer took to
seal every event and that the whole chain verifies. Only loopback is contacted; connections are bounded by
``--writers`` + 2.

    .venv/bin/python bench/audit_writes.py [--writers 16] [--seconds 10] [--database yiwang_bench_audit]

Environment: BENCH_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres).
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def resident_id(n: int) -> str:
    from stdnum.cn import ric

    birth = f"19{50 + n % 50:02d}{1 + n % 12:02d}{1 + n % 28:02d}"
    body = f"440307{birth}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum computes over number[:-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writers", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--database", default="yiwang_bench_audit")
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
    try:
        run(args)
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')


def run(args: argparse.Namespace) -> None:  # noqa: C901 - one benchmark: set-up, two bursts, the report
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from rich.console import Console
    from rich.table import Table

    from yiwang.accounts.models import Person
    from yiwang.accounts.services import person_register
    from yiwang.audit import services as audit
    from yiwang.audit.models import AuditEvent
    from yiwang.core.validators import normalize_mobile, normalize_resident_id

    console = Console()
    call_command("migrate", verbosity=0)
    counter = iter(range(10**9))
    lock = threading.Lock()

    def next_id() -> str:
        with lock:
            return resident_id(next(counter))

    def unaudited() -> None:
        p = Person(name="测试", id_number=normalize_resident_id(next_id()), mobile=normalize_mobile(""))
        Person.objects.filter(id_number=p.id_number).first()
        p.full_clean()
        with transaction.atomic():
            p.save()

    def audited() -> None:
        person_register(actor=None, name="测试", id_number=next_id())

    def burst(fn: object, label: str) -> float:
        done = [0] * args.writers
        stop = time.perf_counter() + args.seconds
        errors: list[BaseException] = []

        def worker(i: int) -> None:
            from django.db import connection as conn

            try:
                while time.perf_counter() < stop:
                    fn()  # type: ignore[operator]
                    done[i] += 1
            except BaseException as exc:
                errors.append(exc)
            finally:
                conn.close()

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.writers)]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=args.seconds + 120)
        elapsed = time.perf_counter() - t0
        if errors:
            raise errors[0]
        rate = sum(done) / elapsed
        console.print(f"{label}: {sum(done):,} writes in {elapsed:.1f} s = {rate:,.0f}/s")
        return rate

    floor = burst(unaudited, "unaudited floor")
    rate = burst(audited, "audited (person_register)")
    t0 = time.perf_counter()
    sealed = audit.audit_seal() if hasattr(audit, "audit_seal") else 0
    seal_s = time.perf_counter() - t0
    unsealed = AuditEvent.objects.filter(seq__isnull=True).count() if hasattr(audit, "audit_seal") else 0
    verify = audit.audit_verify_chain()
    connection.close()
    table = Table(title=f"audited writes, {args.writers} concurrent writers (PostgreSQL)")
    for col in ("figure", "value"):
        table.add_column(col)
    table.add_row("unaudited floor, writes/s", f"{floor:,.0f}")
    table.add_row("audited, writes/s", f"{rate:,.0f}")
    table.add_row("ratio (goal ≥ 50%)", f"{rate / floor:.0%}")
    table.add_row("sealed after the run / left unsealed", f"{sealed:,} in {seal_s:.2f} s / {unsealed}")
    table.add_row("chain verifies", f"{verify.ok} ({verify.checked:,} events)")
    console.print(table)
    console.print(f"ratio {rate / floor:.0%} — goal ≥ 50% {'MET' if rate / floor >= 0.5 else 'NOT MET'}")


if __name__ == "__main__":
    main()
