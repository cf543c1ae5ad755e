"""The cost of encrypting identifiers at rest on the reception screen's person lookup (docs/adr/0014).

On PostgreSQL (a scratch database it creates, migrates and drops): ``--people`` residents (default 20,000)
are written through the model (SM4-GCM ciphertext + blind index), then ``--lookups`` random full-ID
lookups run two ways in the same run:

* **encrypted**: the reception screen's ``person_search(number, by_id=True)``: the blind index (HMAC-SM3)
  of the typed number, an indexed equality, and the row decrypted (ID and mobile);
* **floor**: the same indexed equality with the index value already known and the row's columns read raw
  (what an unencrypted ``id_number`` column with a unique index costs).

Prints lookups/s for both and their ratio, and the per-lookup microseconds crypto adds.

    .venv/bin/python bench/field_encryption.py [--people 20000] [--lookups 5000] [--database yiwang_bench_fields]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def resident_id(n: int) -> str:
    from stdnum.cn import ric

    birth = f"19{50 + n % 50:02d}{1 + n % 12:02d}{1 + n % 28:02d}"
    body = f"440307{birth}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--lookups", type=int, default=5_000)
    parser.add_argument("--database", default="yiwang_bench_fields")
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


def run(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from rich.progress import track

    from yiwang.accounts.models import Person
    from yiwang.accounts.selectors import person_search
    from yiwang.core import fieldcrypt

    call_command("migrate", verbosity=0)
    numbers = sorted({resident_id(n) for n in range(args.people * 2)})[: args.people]
    batch = []
    for i, number in enumerate(track(numbers, description="residents")):
        batch.append(Person(name=f"居民{i}", id_number=number, mobile=f"139{i:08d}"))
        if len(batch) == 1000:
            Person.objects.bulk_create(batch)
            batch = []
    Person.objects.bulk_create(batch)
    rng = random.Random(7)
    sample = [rng.choice(numbers) for _ in range(args.lookups)]
    indexes = [fieldcrypt.blind_index(n) for n in sample]

    t0 = time.perf_counter()
    for number in sample:
        person = next(iter(person_search(number, by_id=True)))
        assert person.id_number == number and person.mobile
    encrypted = args.lookups / (time.perf_counter() - t0)

    raw = Person.objects.values_list("name", "id_number_index", "mobile_index")
    t0 = time.perf_counter()
    for index in indexes:
        row = raw.filter(id_number_index=index).first()
        assert row is not None
    floor = args.lookups / (time.perf_counter() - t0)

    print(
        f"{args.people:,} residents, {args.lookups:,} full-ID lookups on PostgreSQL (loopback), one connection"
    )
    print(f"  encrypted (reception lookup): {encrypted:,.0f} lookups/s")
    print(f"  floor (plain indexed equality): {floor:,.0f} lookups/s")
    print(f"  ratio: {encrypted / floor:.0%}; crypto adds {1e6 / encrypted - 1e6 / floor:,.0f} µs per lookup")


if __name__ == "__main__":
    main()
