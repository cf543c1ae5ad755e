"""Booking under load: 2,000 concurrent booking attempts for 200 one-place slots through the HTTP API.

Runs on PostgreSQL only (a scratch database it creates and drops), serves the platform with granian on
loopback, and drives it with a bounded threaded HTTP client (persistent connections, one per client
thread). Prints bookings made (must be exactly 200), refusals, throughput, p50/p99 latency, and, in the
same run and on the same database, two floors with the ratios against them:

- the physical floor: a bare conditional ``UPDATE … SET booked = booked + 1 WHERE id = … AND booked <
  capacity`` loop from the same number of connections;
- the framework floor: a minimal Django view that does only that ``UPDATE``, served by the same granian
  server, middleware and settings as the platform (``bench/booking_site.py``), driven by the same client.

Goals (issue 19): exactly 200 of 2,000; the API at ≥ 50% of the framework floor; p99 ≤ 1 s.

    .venv/bin/python bench/booking.py                      # defaults below
    .venv/bin/python bench/booking.py --attempts 500 --slots 50

Environment: BENCH_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres) is used to create
and drop the scratch database ``yiwang_bench_booking``. Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import queue
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
DB_NAME = "yiwang_bench_booking"  # the default scratch database; --database names another
HARD_LIMIT_SECONDS = 600  # the whole load phase stops by itself after this


def _db_urls() -> tuple[str, str]:
    admin = os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parts = urlsplit(admin)
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("the benchmark only runs against a database on loopback")
    return admin, urlunsplit(parts._replace(path="/" + DB_NAME))


def _recreate_database(admin: str) -> None:
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def _drop_database(admin: str) -> None:
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


def _django(db_url: str, var_dir: str) -> None:
    os.environ["DATABASE_URL"] = db_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "yiwang.config.settings.local"
    os.environ["YIWANG_VAR_DIR"] = var_dir
    os.environ["DEBUG"] = "0"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def _migrate() -> str:
    from django.core.management import call_command

    try:
        call_command("migrate", verbosity=0, interactive=False)
        return "migrations"
    except Exception as exc:
        print(
            f"note: migrate failed ({type(exc).__name__}: {str(exc)[:120]}); creating tables from the models"
        )
        from django.conf import settings
        from django.db import connection

        with connection.cursor() as cur:
            cur.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")

        class _NoMigrations(dict):  # type: ignore[type-arg]
            def __contains__(self, item: object) -> bool:
                return True

            def __getitem__(self, item: str) -> None:
                return None

        settings.MIGRATION_MODULES = _NoMigrations()
        call_command("migrate", verbosity=0, interactive=False, run_syncdb=True)
        return "tables from models (no database triggers)"


def _setup(attempts: int, slots: int) -> dict[str, Any]:
    """A hall open 06:00-23:00 with 5-minute one-place slots, one published item, ``attempts`` applicants with
    API tokens. Returns what the load phase needs."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone
    from stdnum.cn import ric

    from yiwang.accounts.models import (
        ApiToken,
        Department,
        District,
        Hall,
        Office,
        Person,
        Street,
        User,
        Window,
    )
    from yiwang.catalogue.models import Item, ItemVersion, MainItem
    from yiwang.halls.calendar import work_calendar
    from yiwang.halls.models import BookingPolicy, BusinessCategory, HallConfig

    district = District.objects.create(code="440307", name="深圳市龙岗区")
    dept = Department.objects.create(district=district, code="LG19", name="市场监管局")
    office = Office.objects.create(code="LG1901", name="审批科", department=dept)
    street = Street.objects.create(
        district=district, code="440307006", name="龙城街道", lat=22.72, lng=114.25
    )
    hall = Hall.objects.create(
        code="H0001",
        name="区政务服务中心",
        kind="district",
        district=district,
        street=street,
        address="龙岗区",
        lat=22.72,
        lng=114.248,
        opening_hours={str(d): [["06:00", "23:00"]] for d in range(1, 8)},
    )
    window = Window.objects.create(hall=hall, number="01", name="综合窗口01")
    HallConfig.objects.create(hall=hall, slot_minutes=5, horizon_workdays=7, per_person_per_day=1)
    BookingPolicy.objects.create(pk=1)
    cat = BusinessCategory.objects.create(
        hall=hall, letter="A", name="综合", is_default=True, capacity_override=1
    )
    cat.windows.add(window)
    main = MainItem.objects.create(code="M0001", name="营业执照", department=dept)
    item = Item.objects.create(
        code="BENCH-01",
        main=main,
        name="营业执照设立登记",
        item_type="01",
        handling_kind="2",
        service_objects="1",
        implementing_body="市场监管局",
        level_district=True,
        department=dept,
        office=office,
        legal_limit_days=20,
        committed_limit_days=5,
        status=Item.Status.PUBLISHED,
    )
    version = ItemVersion.objects.create(
        item=item,
        number=1,
        code=item.code,
        name=item.name,
        handling_kind="2",
        legal_limit_days=20,
        committed_limit_days=5,
        snapshot={"materials": []},
        published_at=timezone.now(),
    )
    Item.objects.filter(pk=item.pk).update(current_version=version)

    password = make_password(None)
    users = User.objects.bulk_create(
        [User(username=f"bench{i:05d}", kind="applicant", password=password) for i in range(attempts)]
    )
    people = []
    for i, u in enumerate(users):
        body = f"440307198{i // 100000 % 10}{(i // 1000) % 12 + 1:02d}{(i // 40) % 28 + 1:02d}{i % 1000:03d}"
        people.append(Person(name=f"压测{i}", id_number=body + ric.calc_check_digit(body + "0"), user=u))
    from yiwang.core.validators import validate_resident_id

    for p in people:  # the bulk path keeps the production validation of every number
        validate_resident_id(p.id_number)
    Person.objects.bulk_create(people)
    tokens = []
    raws = []
    for u in users:
        raw = ApiToken.new_raw()
        raws.append(raw)
        tokens.append(
            ApiToken(user=u, name="bench", prefix=ApiToken.prefix_of(raw), digest=ApiToken.digest_of(raw))
        )
    ApiToken.objects.bulk_create(tokens)
    day = work_calendar().add_workdays(timezone.localdate(), 1)
    starts = []
    minutes = 6 * 60
    for _ in range(slots):
        starts.append(f"{minutes // 60:02d}:{minutes % 60:02d}")
        minutes += 5
    if minutes > 23 * 60:
        sys.exit(f"at most {(23 - 6) * 12} slots fit in one day")
    return {
        "hall": hall.code,
        "item": item.code,
        "date": day.isoformat(),
        "starts": starts,
        "tokens": raws,
        "category_id": cat.pk,
    }


def _free_port() -> int:
    """A port nobody listens on (other servers may be running on this machine)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(port: int, server: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"the server exited with {server.returncode}")
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/healthz")
            if c.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    sys.exit("the server did not start")


def _load(
    port: int, jobs: list[tuple[str, dict[str, Any]]], concurrency: int, path: str | None = None
) -> tuple[list[Any], float]:
    """Send every job once from ``concurrency`` threads (persistent connections). Returns
    [(status, code, seconds)] and the wall time."""
    work: queue.Queue[int] = queue.Queue()
    for i in range(len(jobs)):
        work.put(i)
    results: list[Any] = [None] * len(jobs)
    stop_at = time.monotonic() + HARD_LIMIT_SECONDS
    start_gate = threading.Barrier(concurrency + 1, timeout=120)  # a refused connection must not hang the run

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        start_gate.wait()
        while time.monotonic() < stop_at:
            try:
                i = work.get_nowait()
            except queue.Empty:
                break
            token, body = jobs[i]
            payload = json.dumps(body)
            t0 = time.perf_counter()
            try:
                conn.request(
                    "POST",
                    path.format(**body) if path else "/api/halls/appointments",
                    payload,
                    {"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
                )
                r = conn.getresponse()
                data = r.read()
                code = json.loads(data).get("code", "") if data else ""
                results[i] = (r.status, code, time.perf_counter() - t0)
            except (OSError, http.client.HTTPException, ValueError) as exc:
                results[i] = (0, type(exc).__name__, time.perf_counter() - t0)
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.close()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(concurrency)]
    for t in threads:
        t.start()
    start_gate.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join(HARD_LIMIT_SECONDS)
    return results, time.perf_counter() - t0


def _floor(db_url: str, attempts: int, slots: int, concurrency: int) -> tuple[int, float]:
    """The bare conditional UPDATE on the same database, same attempt pattern and concurrency."""
    import psycopg

    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_floor_slot")
        conn.execute(
            "CREATE TABLE bench_floor_slot (id int PRIMARY KEY, booked int NOT NULL, capacity int NOT NULL)"
        )
        conn.execute("INSERT INTO bench_floor_slot SELECT g, 0, 1 FROM generate_series(1, %s) g", (slots,))
    work: queue.Queue[int] = queue.Queue()
    for i in range(attempts):
        work.put(i)
    won = [0] * concurrency
    gate = threading.Barrier(concurrency + 1, timeout=120)  # a refused connection must not hang the run

    def worker(k: int) -> None:
        with psycopg.connect(db_url, autocommit=True) as c:
            gate.wait()
            while True:
                try:
                    i = work.get_nowait()
                except queue.Empty:
                    return
                cur = c.execute(
                    "UPDATE bench_floor_slot SET booked = booked + 1 WHERE id = %s AND booked < capacity",
                    (i % slots + 1,),
                )
                won[k] += cur.rowcount

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(concurrency)]
    for t in threads:
        t.start()
    gate.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join(HARD_LIMIT_SECONDS)
    elapsed = time.perf_counter() - t0
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute("DROP TABLE bench_floor_slot")
    return sum(won), elapsed


def _stop(server: subprocess.Popen[bytes]) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(10)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(10)


def main() -> None:
    global DB_NAME
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--attempts", type=int, default=2000)
    ap.add_argument("--slots", type=int, default=200)
    ap.add_argument("--concurrency", type=int, default=64, help="client threads")
    ap.add_argument("--workers", type=int, default=2, help="granian worker processes")
    ap.add_argument("--threads", type=int, default=16, help="granian blocking threads per worker")
    ap.add_argument("--port", type=int, default=0, help="0: any free port")
    ap.add_argument("--keep-database", action="store_true")
    ap.add_argument("--database", default=DB_NAME, help="scratch database to create, use and drop")
    args = ap.parse_args()
    DB_NAME = args.database
    if max(args.workers * args.threads, args.concurrency) > 70:
        sys.exit(
            "the server's threads and the floor's connections must each stay at most 70 (100 in all here)"
        )
    admin, db_url = _db_urls()
    args.port = args.port or _free_port()
    var_dir = tempfile.mkdtemp(prefix="yiwang-bench-")
    _recreate_database(admin)
    server = None
    try:
        _django(db_url, var_dir)
        schema = _migrate()
        t0 = time.perf_counter()
        setup = _setup(args.attempts, args.slots)
        print(
            f"set-up: {args.attempts} applicants with tokens, {args.slots} one-place slots on {setup['date']} "
            f"({time.perf_counter() - t0:.1f} s; schema from {schema})"
        )
        env = {
            **os.environ,
            "DATABASE_URL": db_url,
            "DJANGO_SETTINGS_MODULE": "booking_site",
            "PYTHONPATH": os.pathsep.join([str(ROOT / "bench"), os.environ.get("PYTHONPATH", "")]),
            "YIWANG_VAR_DIR": var_dir,
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
        }
        server = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/granian"),
                "--interface",
                "wsgi",
                "--host",
                "127.0.0.1",
                "--port",
                str(args.port),
                "--workers",
                str(args.workers),
                "--blocking-threads",
                str(args.threads),
                "--log-level",
                "warning",
                "yiwang.config.wsgi:application",
            ],
            env=env,
            cwd=str(ROOT),
            start_new_session=True,
        )
        _wait_for(args.port, server)
        jobs = [
            (
                setup["tokens"][i],
                {
                    "hall": setup["hall"],
                    "item": setup["item"],
                    "date": setup["date"],
                    "start": setup["starts"][i % args.slots],
                },
            )
            for i in range(args.attempts)
        ]
        # Warm-up (both workers, every thread): attempts beyond the booking horizon are refused (422) after
        # the hall's snapshot is built and before anything is written.
        far = (date.fromisoformat(setup["date"]) + timedelta(days=60)).isoformat()
        warm = [
            (setup["tokens"][i], {**jobs[i][1], "date": far}) for i in range(4 * args.workers * args.threads)
        ]
        _load(args.port, warm, args.concurrency)
        results, wall = _load(args.port, jobs, args.concurrency)
        done = [r for r in results if r is not None]
        made = sum(1 for s, _c, _t in done if s == 201)
        full = sum(1 for s, c, _t in done if s == 409 and c == "full")
        other = [(s, c) for s, c, _t in done if s != 201 and not (s == 409 and c == "full")]
        lat = sorted(t for _s, _c, t in done)
        from yiwang.halls.models import Appointment, Slot

        in_db = Appointment.objects.filter(status="booked").count()
        overbooked = Slot.objects.filter(booked__gt=1).count()
        from django.db import connection

        with connection.cursor() as cur:  # the framework floor's slots: same shape as the physical floor's
            cur.execute(
                "CREATE TABLE bench_framework_slot (id int PRIMARY KEY, booked int NOT NULL, capacity int NOT NULL)"
            )
            cur.execute(
                "INSERT INTO bench_framework_slot SELECT g, 0, 1 FROM generate_series(1, %s) g", [args.slots]
            )
        floor_jobs = [("-", {"slot": i % args.slots + 1}) for i in range(args.attempts)]
        fw_results, fw_wall = _load(args.port, floor_jobs, args.concurrency, path="/bench/floor/{slot}")
        fw_done = [r for r in fw_results if r is not None]
        fw_won = sum(1 for st, _c, _t in fw_done if st == 201)
        fw_other = sum(1 for st, _c, _t in fw_done if st not in (201, 409))
        fw_other_kinds = sorted({(st, c) for st, c, _t in fw_done if st not in (201, 409)})[:5]
        fw_lat = sorted(t for _s, _c, t in fw_done)
        fw_rps = len(fw_done) / fw_wall
        with connection.cursor() as cur:
            cur.execute("DROP TABLE bench_framework_slot")
        _stop(server)  # its connections are released before the physical floor opens its own
        server = None
        won, floor_s = _floor(db_url, args.attempts, args.slots, args.concurrency)
        api_rps = len(done) / wall
        floor_rps = args.attempts / floor_s
        p50 = statistics.median(lat) * 1000
        p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000
        print(
            f"API: {len(done)} attempts from {args.concurrency} client threads against granian "
            f"({args.workers} workers × {args.threads} threads) in {wall:.2f} s"
        )
        print(f"  bookings made: {made} (in the database: {in_db}; slots over capacity: {overbooked})")
        print(
            f"  refusals 'fully booked' (409): {full}; other answers: {len(other)} {sorted(set(other))[:5]}"
        )
        print(f"  throughput: {api_rps:.0f} attempts/s; latency p50 {p50:.1f} ms, p99 {p99:.1f} ms")
        print(
            f"floor: bare conditional UPDATE, {args.attempts} attempts from {args.concurrency} connections: "
            f"{won} places taken, {floor_rps:.0f} updates/s"
        )
        print(
            f"framework floor: a Django view doing only the conditional UPDATE, same server and client: "
            f"{fw_won} places taken, {len(fw_done) - fw_won - fw_other} × 409, {fw_other} other {fw_other_kinds}; {fw_rps:.0f} "
            f"requests/s, p50 {statistics.median(fw_lat) * 1000:.1f} ms, "
            f"p99 {fw_lat[min(len(fw_lat) - 1, int(len(fw_lat) * 0.99))] * 1000:.1f} ms"
        )
        print(
            f"ratio API / physical floor: {api_rps / floor_rps:.3f} (the API does {floor_rps / api_rps:.1f}× the "
            f"work per attempt: authentication, every booking rule, the person lock, audit and notification)"
        )
        fw_ratio = api_rps / fw_rps
        print(
            f"ratio API / framework floor: {fw_ratio:.3f} (goal ≥ 0.5: {'met' if fw_ratio >= 0.5 else 'NOT met'}); "
            f"framework floor / physical floor: {fw_rps / floor_rps:.3f}; "
            f"p99 {p99:.0f} ms (goal ≤ 1,000 ms: {'met' if p99 <= 1000 else 'NOT met'})"
        )
        print(
            json.dumps(
                {
                    "made": made,
                    "in_db": in_db,
                    "refused_full": full,
                    "other": len(other),
                    "api_rps": round(api_rps, 1),
                    "p50_ms": round(p50, 1),
                    "p99_ms": round(p99, 1),
                    "floor_rps": round(floor_rps, 1),
                    "framework_floor_rps": round(fw_rps, 1),
                    "ratio": round(api_rps / floor_rps, 4),
                    "ratio_framework": round(fw_ratio, 4),
                }
            )
        )
        if made != args.slots or in_db != args.slots or overbooked:
            sys.exit("FAILED: bookings made must equal the number of one-place slots")
    finally:
        if server is not None:
            _stop(server)
        from django.db import connections

        connections.close_all()
        if not args.keep_database:
            _drop_database(admin)


if __name__ == "__main__":
    main()
