"""E-licences: signing and verifying 100,000 licences against the bare Ed25519 primitive in the same run,
and the public verification page's requests/s against a bare template view served the same way.

1. In process, no database: build 100,000 licence versions' signed fields (``services.signed_fields``) and
   sign each (``signing.sign``: canonical JSON, Ed25519, compact payload), then verify each payload
   (``signing.verify``: decode, canonical check, key lookup, Ed25519) — against the bare primitive on the
   same bytes (``Ed25519PrivateKey.sign`` / ``Ed25519PublicKey.verify``). Target ≥ 50% of the primitive.
2. Served: a scratch PostgreSQL database with 2,000 issued licences, granian (WSGI) on loopback, a bounded
   threaded client GETting ``/licences/verify/?p=<payload>`` round-robin, then ``/bench/bare/``.

    .venv/bin/python bench/licences.py
    .venv/bin/python bench/licences.py --n 20000 --seconds 5 --database licences

Environment: BENCH_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres) creates and drops the
scratch database. Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "src")]

import guide_pages  # noqa: E402 - the served-benchmark plumbing (database, granian, client)

DB_NAME = "yiwang_bench_licences"
SEED_LICENCES = 2000
ROUNDS = 20  # chunks, measured alternately


def _fields(n: int) -> dict[str, Any]:
    """The signed fields of licence version ``n`` (the shape ``services.signed_fields`` produces)."""
    from django.utils import timezone

    from yiwang.licences.identifier import Identifier
    from yiwang.licences.services import signed_fields

    ident = Identifier("LT0001FOOD", "11440307MB2C93058K", f"2026{n:06d}", 1 + n % 3)
    v = SimpleNamespace(
        identifier=str(ident),
        holder_name=f"深圳市示范科技{n}有限公司",
        holder_number="91440307MA5T00001X",
        issuer_name="深圳市龙岗区市场监督管理局",
        valid_from=date(2026, 1, 5),
        valid_to=date(2026, 1, 5) + timedelta(days=1826),
        signed_at=timezone.now(),
        fields={"scope": "预包装食品销售、散装食品销售", "address": f"龙岗区龙城街道{n}号"},
    )
    return signed_fields(v, "D0101/k1", "LT0001FOOD", "食品经营许可证")  # type: ignore[arg-type]


def crypto(n: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.config.settings.test")
    import django

    django.setup()
    from yiwang.licences import signing

    key = signing.new_private_key()
    public = {"D0101/k1": key.public_key()}
    t0 = time.perf_counter()
    all_fields = [_fields(i) for i in range(n)]
    build = time.perf_counter() - t0

    # The machine is shared: measure ours and the primitive alternately, chunk by chunk, so that both see
    # the same load, and add up the chunks.
    chunk = max(1, n // ROUNDS)
    totals = {"ours_sign": 0.0, "bare_sign": 0.0, "ours_verify": 0.0, "bare_verify": 0.0}
    payloads: list[str] = []
    ok = 0
    pub = key.public_key()
    for start in range(0, n, chunk):
        part = all_fields[start : start + chunk]
        t0 = time.perf_counter()
        signed = [signing.sign(key, f) for f in part]
        totals["ours_sign"] += time.perf_counter() - t0
        bodies = [signing.canonical(f) for f in part]
        t0 = time.perf_counter()
        sigs = [key.sign(b) for b in bodies]
        totals["bare_sign"] += time.perf_counter() - t0
        t0 = time.perf_counter()
        ok += sum(1 for p in signed if signing.verify(p, public).ok)
        totals["ours_verify"] += time.perf_counter() - t0
        t0 = time.perf_counter()
        for sig, body in zip(sigs, bodies, strict=True):
            pub.verify(sig, body)
        totals["bare_verify"] += time.perf_counter() - t0
        payloads += signed
    assert ok == n
    ours_sign, bare_sign = totals["ours_sign"], totals["bare_sign"]
    ours_verify, bare_verify = totals["ours_verify"], totals["bare_verify"]

    size = sum(len(p) for p in payloads) / n
    print(f"{n:,} licences; fields built in {build:.2f} s; payload {size:.0f} characters on average")
    print(f"{'':<34} {'seconds':>8} {'licences/s':>11} {'÷ primitive':>12}")
    for name, t, base in (
        ("sign: signing.sign", ours_sign, bare_sign),
        ("sign: Ed25519 primitive", bare_sign, bare_sign),
        ("verify: signing.verify", ours_verify, bare_verify),
        ("verify: Ed25519 primitive", bare_verify, bare_verify),
    ):
        print(f"{name:<34} {t:>8.2f} {n / t:>11,.0f} {base / t:>12.0%}")
    print("target: signing.sign and signing.verify ≥ 50% of the primitive's licences/s")


def _prepare(env: dict[str, str]) -> list[str]:
    """Migrate and issue the seed licences in a child process; return their verification paths."""
    script = f"""
import django; django.setup()
from django.core.management import call_command
call_command('migrate', verbosity=0, interactive=False)
call_command('createcachetable', verbosity=0)
from datetime import date, timedelta
from urllib.parse import quote
from django.utils import timezone
from stdnum.cn import ric
from yiwang.accounts.models import Department, District, Office, Person
from yiwang.licences import keys, signing
from yiwang.licences.identifier import Identifier
from yiwang.licences.models import Licence, LicenceType, LicenceVersion
from yiwang.licences.services import signed_fields
d = District.objects.create(code='440307', name='深圳市龙岗区')
dept = Department.objects.create(district=d, code='D01', name='市场监管局', credit_code='11440307MB2C93058K')
office = Office.objects.create(code='D0101', name='审批科', department=dept)
t = LicenceType.objects.create(code='LT0001FOOD', name='食品经营许可证',
    fields=[{{'key': 'scope', 'label': '经营范围', 'required': True}}])
kid, key = keys.signing_key(office.code)
paths = []
now = timezone.now()
for n in range({SEED_LICENCES}):
    body = '440307' + (date(1980, 1, 1) + timedelta(days=n)).strftime('%Y%m%d') + '001'
    p = Person.objects.create(name=f'持证人{{n}}', id_number=body + ric.calc_check_digit(body + '0'))
    ident = Identifier(t.code, dept.credit_code, f'2026{{n:06d}}', 1)
    lic = Licence.objects.create(type=t, issuer_office=office, issuer_code=dept.credit_code, serial=f'2026{{n:06d}}',
        base_identifier=ident.base, holder_person=p, status='active', version=1, valid_to=date(2031, 1, 4),
        issued_at=now, updated_at=now)
    v = LicenceVersion(licence=lic, version=1, identifier=str(ident), event='issue', holder_name=p.name,
        holder_number=p.id_number[:3] + '*' * 11 + p.id_number[-4:], fields={{'scope': '预包装食品销售'}},
        valid_from=date(2026, 1, 5), valid_to=date(2031, 1, 4), issuer_name=dept.name, signed_at=now, kid=kid, payload='')
    v.payload = signing.sign(key, signed_fields(v, kid, t.code, t.name))
    v.save()
    paths.append('/licences/verify/?p=' + quote(v.payload, safe=''))
print('\\n'.join(paths))
"""
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"preparing the database failed:\n{out.stderr[-3000:]}")
    return [line for line in out.stdout.splitlines() if line.startswith("/licences/verify/")]


def served(args: argparse.Namespace) -> None:
    guide_pages.DB_NAME = args.database
    admin, db_url = guide_pages._db_urls()
    guide_pages._admin_sql(admin, f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
    guide_pages._admin_sql(admin, f'CREATE DATABASE "{args.database}"')
    server = None
    try:
        with tempfile.TemporaryDirectory() as var_dir:
            env = {**guide_pages._env(db_url, var_dir), "DJANGO_SETTINGS_MODULE": "licences_site"}
            env["LICENCE_KEY_DIR"] = str(Path(var_dir) / "keys")
            t0 = time.monotonic()
            paths = _prepare(env)
            print(f"\n{len(paths):,} licences issued into PostgreSQL in {time.monotonic() - t0:.0f} s")
            server = subprocess.Popen(
                [str(ROOT / ".venv/bin/granian"), "--interface", "wsgi", "--host", "127.0.0.1", "--port",
                 str(args.port), "--workers", str(args.workers), "--blocking-threads", str(args.threads),
                 "--log-level", "warning", "yiwang.config.wsgi:application"],
                env=env, cwd=str(ROOT),
            )  # fmt: skip
            guide_pages._wait_for(args.port)
            phases = {
                "bare template view": ["/bench/bare/"],
                "portal page shell": ["/bench/shell/"],
                "verification page": paths,
            }
            for p in phases.values():  # warm-up
                guide_pages._phase(args.port, p, 2, args.concurrency)
            results = {name: guide_pages._phase(args.port, p, args.seconds, args.concurrency)
                       for name, p in phases.items()}  # fmt: skip
            print(
                f"granian WSGI, {args.workers} workers × {args.threads} threads; {args.concurrency} client "
                f"threads on loopback; {args.seconds:.0f} s per phase; PostgreSQL"
            )
            print(f"{'page':<22} {'requests':>9} {'errors':>7} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
            for name, r in results.items():
                print(
                    f"{name:<22} {r['requests']:>9} {r['errors']:>7} {r['rps']:>8.0f} {r['p50_ms']:>8.1f} "
                    f"{r['p99_ms']:>8.1f}"
                )
            ratio = results["verification page"]["rps"] / results["bare template view"]["rps"]
            print(f"verification page ÷ bare template view: {ratio:.0%}")
            shell = results["verification page"]["rps"] / results["portal page shell"]["rps"]
            print(f"verification page ÷ portal page shell:  {shell:.0%}")
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
        if not args.keep:
            guide_pages._admin_sql(admin, f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--n", type=int, default=100_000, help="licences signed and verified in process")
    ap.add_argument("--seconds", type=float, default=10, help="measured seconds per served phase")
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--port", type=int, default=8772)
    ap.add_argument("--keep", action="store_true", help="keep the scratch database")
    ap.add_argument("--database", default=DB_NAME, help="scratch database to create, use and drop")
    ap.add_argument("--skip-served", action="store_true", help="only the in-process part")
    args = ap.parse_args()
    crypto(args.n)
    if not args.skip_served:
        served(args)


if __name__ == "__main__":
    main()
