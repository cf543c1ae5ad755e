"""Guide pages under load: requests per second for item guide pages against a bare Django template view,
served the same way (granian, WSGI, on loopback) in the same run.

Creates a scratch PostgreSQL database, loads the demo district (598 items), starts granian with the
platform plus two baseline views (bench/guide_pages_site.py), and drives each URL set with a bounded
threaded HTTP client (persistent connections; every phase stops after a fixed time or request count).
Prints requests/s, p50 and p99 latency, and the ratio guide ÷ bare (target ≥ 50%) and guide ÷ page shell.

    .venv/bin/python bench/guide_pages.py
    .venv/bin/python bench/guide_pages.py --seconds 5 --concurrency 16

Environment: BENCH_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres) creates and drops the
scratch database ``yiwang_bench_guides``. Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
DB_NAME = "yiwang_bench_guides"  # the default scratch database; --database names another
MAX_REQUESTS_PER_PHASE = 200_000
# Catalogue searches an anonymous visitor types (URL-encoded): 社保, 营业执照, yyzz, 出生, 退休
SEARCHES = [
    "%E7%A4%BE%E4%BF%9D",
    "%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7",
    "yyzz",
    "%E5%87%BA%E7%94%9F",
    "%E9%80%80%E4%BC%91",
]


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


def _env(db_url: str, var_dir: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": db_url,
        "DJANGO_SETTINGS_MODULE": "guide_pages_site",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "bench"), str(ROOT / "src")]),
        "YIWANG_VAR_DIR": var_dir,
        "MEDIA_ROOT": str(Path(var_dir) / "media"),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }


def _prepare(env: dict[str, str]) -> list[str]:
    """Migrate and load the demo in a child process; return the hand-written items' codes."""
    script = (
        "import django; django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('migrate', verbosity=0, interactive=False)\n"
        "call_command('createcachetable', verbosity=0)\n"
        "call_command('load_demo', '--quiet-logins', verbosity=0)\n"
        "from yiwang.catalogue.models import Item\n"
        "print(','.join(Item.objects.filter(is_sample=False).order_by('code').values_list('code', flat=True)))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"preparing the database failed:\n{out.stderr[-3000:]}")
    return out.stdout.strip().splitlines()[-1].split(",")


def _wait_for(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/healthz")
            if c.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    sys.exit("the server did not start")


def _phase(port: int, paths: list[str], seconds: float, concurrency: int) -> dict[str, Any]:
    """GET the paths round-robin from ``concurrency`` threads for ``seconds`` (bounded in count too)."""
    counter = itertools.count()
    stop_at = time.monotonic() + seconds
    lock = threading.Lock()
    latencies: list[float] = []
    errors = [0]
    gate = threading.Barrier(concurrency + 1, timeout=120)  # a refused connection must not hang the run

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        bad = 0
        gate.wait()
        while time.monotonic() < stop_at:
            n = next(counter)
            if n >= MAX_REQUESTS_PER_PHASE:
                break
            t0 = time.perf_counter()
            try:
                conn.request("GET", paths[n % len(paths)], headers={"Accept-Language": "zh-CN"})
                r = conn.getresponse()
                r.read()
                if r.status != 200:
                    bad += 1
            except (OSError, http.client.HTTPException):
                bad += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine.append(time.perf_counter() - t0)
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=client, daemon=True) for _ in range(concurrency)]
    for t in threads:
        t.start()
    gate.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join(seconds + 60)
    wall = time.perf_counter() - t0
    latencies.sort()
    n = len(latencies)
    return {
        "requests": n,
        "errors": errors[0],
        "rps": n / wall if wall else 0.0,
        "p50_ms": statistics.median(latencies) * 1000 if n else 0.0,
        "p99_ms": latencies[max(0, int(n * 0.99) - 1)] * 1000 if n else 0.0,
    }


def main() -> None:
    global DB_NAME
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=15, help="measured seconds per phase")
    ap.add_argument("--concurrency", type=int, default=32, help="client threads (persistent connections)")
    ap.add_argument("--workers", type=int, default=2, help="granian worker processes")
    ap.add_argument("--threads", type=int, default=2, help="granian blocking threads per worker")
    ap.add_argument("--port", type=int, default=8771)
    ap.add_argument("--keep", action="store_true", help="keep the scratch database")
    ap.add_argument("--database", default=DB_NAME, help="scratch database to create, use and drop")
    args = ap.parse_args()
    DB_NAME = args.database
    admin, db_url = _db_urls()
    _admin_sql(admin, f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
    _admin_sql(admin, f'CREATE DATABASE "{DB_NAME}"')
    server = None
    try:
        with tempfile.TemporaryDirectory() as var_dir:
            env = _env(db_url, var_dir)
            t0 = time.monotonic()
            codes = _prepare(env)
            print(f"demo district loaded in {time.monotonic() - t0:.0f} s; {len(codes)} hand-written guides")
            server = subprocess.Popen(
                [str(ROOT / ".venv/bin/granian"), "--interface", "wsgi", "--host", "127.0.0.1", "--port",
                 str(args.port), "--workers", str(args.workers), "--blocking-threads", str(args.threads),
                 "--log-level", "warning", "yiwang.config.wsgi:application"],
                env=env, cwd=str(ROOT),
            )  # fmt: skip
            _wait_for(args.port)
            phases = {
                "bare template view": ["/bench/bare/"],
                "portal page shell": ["/bench/shell/"],
                "item guide pages": [f"/catalogue/items/{c}/" for c in codes],
                "portal home": ["/"],
                "catalogue search": [f"/catalogue/?q={q}" for q in SEARCHES],
            }
            for paths in phases.values():  # warm-up: imports, templates, connections, guide cache
                _phase(args.port, paths, 2, args.concurrency)
            results = {name: _phase(args.port, paths, args.seconds, args.concurrency)
                       for name, paths in phases.items()}  # fmt: skip
            print(
                f"\ngranian WSGI, {args.workers} workers × {args.threads} threads; {args.concurrency} client "
                f"threads on loopback; {args.seconds:.0f} s per phase; PostgreSQL"
            )
            print(f"{'page':<22} {'requests':>9} {'errors':>7} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
            for name, r in results.items():
                print(
                    f"{name:<22} {r['requests']:>9} {r['errors']:>7} {r['rps']:>8.0f} {r['p50_ms']:>8.1f} "
                    f"{r['p99_ms']:>8.1f}"
                )
            guide = results["item guide pages"]["rps"]
            print(
                f"guide ÷ bare template view: {guide / results['bare template view']['rps']:.0%} (target ≥ 50%)"
            )
            print(f"guide ÷ portal page shell:  {guide / results['portal page shell']['rps']:.0%}")
            bare = results["bare template view"]["rps"]
            for name in ("portal home", "catalogue search"):
                print(f"{name} ÷ bare template view: {results[name]['rps'] / bare:.0%} (target ≥ 50%)")
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
        if not args.keep:
            _admin_sql(admin, f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


if __name__ == "__main__":
    main()
