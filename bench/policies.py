"""The policy calculator at the district's size: 12,000 enterprises × 200 policies.

On PostgreSQL (a scratch database it creates, migrates and drops) it loads the demo district's organisations,
generates ``--enterprises`` enterprises with profiles and tax ratings set-based, and 200 policies (the 42 demo
policies of ``policies.catalogue`` with their thresholds varied, published through the services). Then, median
of ``--repeat``, each inside a rolled-back transaction:

* **engine**: ``rules.services.batch_run`` for every policy (rule set → one ``INSERT … SELECT`` each into the
  results table, with the run rows and audit events);
* **floor**: the same 200 predicates written as bare SQL straight over the tables (no fact query, no NULL
  guards beyond ``NULLIF``), one ``INSERT … SELECT`` each into the same table;
* **page**: one enterprise's calculator page (``GET /policies/calculator/`` as its agent: 200 policies, each
  explained) and the calculation alone (``policies.selectors.calculate``), in milliseconds.

    .venv/bin/python bench/policies.py [--enterprises 12000] [--policies 200] [--repeat 3] [--db yiwang_bench_policies]

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
    parser.add_argument("--enterprises", type=int, default=12_000)
    parser.add_argument("--policies", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--db", default="yiwang_bench_policies")
    parser.add_argument(
        "--profile", action="store_true", help="print where one calculator page spends its time"
    )
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
INSERT INTO accounts_enterprise (name, credit_code, legal_representative, address, street_id, created_at)
SELECT '企业' || g, 'B' || lpad(g::text, 17, '0'), '法人', '',
       CASE WHEN g %% 20 = 0 THEN NULL ELSE (SELECT id FROM accounts_street ORDER BY code
            OFFSET (g %% (SELECT count(*) FROM accounts_street)) LIMIT 1) END, now()
FROM generate_series(1, %(n)s) g;
INSERT INTO policies_enterpriseprofile (enterprise_id, industry_code, registered_on, registered_capital, employees,
       revenue, rd_spend, high_tech, specialised, fiscal_year, updated_at)
SELECT e.id, (ARRAY['C3911','C3971','I6510','M7320','F5191','R8710','C2710'])[1 + e.id %% 7],
       current_date - (200 + (e.id * 37) %% 4000)::int, 1000000 * (1 + e.id %% 50), (e.id * 13) %% 900,
       1000000 * (1 + (e.id * 7) %% 600), CASE WHEN e.id %% 10 = 0 THEN NULL ELSE 10000 * ((e.id * 11) %% 3000) END,
       e.id %% 5 < 2, e.id %% 7 = 0, 2025, now()
FROM accounts_enterprise e WHERE e.credit_code LIKE 'B%%';
INSERT INTO policies_taxcreditrating (enterprise_id, year, rating)
SELECT e.id, 2025, (ARRAY['A','A','B','B','B','M','C'])[1 + e.id %% 7] FROM accounts_enterprise e
WHERE e.credit_code LIKE 'B%%';
"""

FACT_SQL = {
    "industry": "p.industry_code",
    "street_code": "s.code",
    "years_registered": "(date_part('year', age(%(today)s::date, p.registered_on)))",
    "registered_capital": "p.registered_capital",
    "employees": "p.employees",
    "revenue": "p.revenue",
    "rd_spend": "p.rd_spend",
    "high_tech": "p.high_tech",
    "specialised": "p.specialised",
    "tax_rating": "t.rating",
}


def _bare(expr: dict[str, Any]) -> str:
    if "fact" in expr:
        return FACT_SQL[expr["fact"]]
    if "const" in expr:
        return str(expr["const"])
    a, b = (_bare(x) for x in expr["args"])
    if expr["op"] == "/":
        return f"{a} / NULLIF({b}, 0)"
    if expr["op"] in ("min", "max"):
        return f"{'LEAST' if expr['op'] == 'min' else 'GREATEST'}({a}, {b})"
    return f"({a} {expr['op']} {b})"


def bare_sql(doc: dict[str, Any]) -> str:
    """The policy's predicate and amount written by hand over the tables (what a developer would write)."""
    where = []
    for c in doc["conditions"]:
        left, op, v = _bare(c["left"]), c["op"], c["value"]
        if op == "prefix":
            where.append("(" + " OR ".join(f"{left} LIKE '{p}%%'" for p in v) + ")")
        elif op in ("in", "not_in"):
            where.append(f"{left} {'IN' if op == 'in' else 'NOT IN'} ({', '.join(repr(x) for x in v)})")
        elif isinstance(v, bool):
            where.append(f"{left} = {'true' if v else 'false'}")
        else:
            where.append(f"{left} {'=' if op == '==' else '<>' if op == '!=' else op} {v}")
    a = doc["amount"]
    amount = f"GREATEST({_bare(a['formula'])}, 0)"
    if a.get("cap"):
        amount = f"LEAST({amount}, {a['cap']})"
    return (
        f"INSERT INTO rules_evaluationresult (run_id, subject_id, amount) SELECT %(run)s, e.id, ROUND({amount}, 2) "
        "FROM accounts_enterprise e LEFT JOIN policies_enterpriseprofile p ON p.enterprise_id = e.id "
        "LEFT JOIN accounts_street s ON s.id = e.street_id "
        "LEFT JOIN LATERAL (SELECT rating FROM policies_taxcreditrating r WHERE r.enterprise_id = e.id "
        "ORDER BY year DESC LIMIT 1) t ON true "
        f"WHERE {' AND '.join(where)}"
    )


def _vary(doc: dict[str, Any], k: int) -> dict[str, Any]:
    """Another policy of the same shape: numeric thresholds moved by k%."""
    out = {"conditions": [], "amount": doc["amount"]}
    for c in doc["conditions"]:
        c = dict(c)
        if (
            isinstance(c["value"], int | str)
            and not isinstance(c["value"], bool)
            and c["op"] in ("<", "<=", ">", ">=")
        ):
            try:
                from decimal import Decimal

                c["value"] = str((Decimal(str(c["value"])) * (100 + k) / 100).quantize(Decimal("0.0001")))
            except ArithmeticError:
                pass
        out["conditions"].append(c)
    return out


def run(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from datetime import date

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone
    from rich.console import Console
    from rich.progress import Progress
    from rich.table import Table

    from yiwang.accounts.models import AgentAuthorization, Department, Enterprise, Person, User
    from yiwang.demo.context import DemoContext
    from yiwang.demo.loaders import accounts as accounts_demo
    from yiwang.policies import catalogue as seed
    from yiwang.policies import selectors as sel
    from yiwang.policies import services as ps
    from yiwang.rules import selectors as rules
    from yiwang.rules import services as engine

    console = Console()
    call_command("migrate", verbosity=0)
    with Progress(console=console, transient=True) as progress:
        accounts_demo.load(DemoContext(out=lambda s: None, progress=progress))
    today = timezone.localdate()
    with connection.cursor() as cur:
        cur.execute(GENERATE, {"n": args.enterprises})
        cur.execute("ANALYZE")
    dept = Department.objects.get(code="LG03")
    docs = []
    for i in range(args.policies):
        _code, name, category, _d, _item, conditions, formula, cap = seed.POLICIES[i % len(seed.POLICIES)]
        doc = _vary(seed.document(conditions, formula, cap), (i // len(seed.POLICIES)) * 5)
        ps.policy_create(
            actor=None,
            data=ps.PolicyInput(
                code=f"B{i:03d}",
                name=f"{name}（{i}）",
                category=category,
                department=dept,
                source_document=seed.SOURCES[category],
                document=doc,
                opens_on=date(2020, 1, 1),
                closes_on=date(2099, 12, 31),
            ),
            publish=True,
        )
        docs.append(doc)
    versions = [rules.version_in_force(p.rule_set, today) for p in sel.policies()]
    counts: dict[str, int] = {}

    def run_engine() -> None:
        counts["engine"] = sum(
            engine.batch_run(
                actor=None, spec=engine.BatchSpec(version=v, as_of=today, purpose="bench")
            ).eligible
            for v in versions
        )

    def run_floor() -> None:
        run_ids = list(
            rules.runs().values_list("pk", flat=True)[: len(docs)]
        )  # one per policy, as the engine
        n = 0
        with connection.cursor() as cur:
            for doc, run_id in zip(docs, run_ids, strict=True):
                cur.execute(bare_sql(doc), {"run": run_id, "today": today})
                n += cur.rowcount
        counts["floor"] = n

    run_engine()  # warm, and leaves runs the floor's rows can reference
    with connection.cursor() as cur:
        cur.execute("DELETE FROM rules_evaluationresult")
    e_times, f_times = [], []
    for _ in range(args.repeat):
        e_times.append(_timed(run_engine))
        f_times.append(_timed(run_floor))
    e, f = statistics.median(e_times), statistics.median(f_times)

    # One enterprise's page, as its agent.
    ent = Enterprise.objects.filter(credit_code__startswith="B").order_by("pk")[5]
    user = User.objects.create(username="bench_agent", kind=User.Kind.APPLICANT, full_name="代理人")
    person = Person.objects.create(name="代理人", id_number="11010519491231002X", user=user)
    AgentAuthorization.objects.create(enterprise=ent, person=person, valid_from=date(2020, 1, 1))
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    client.get("/policies/calculator/")
    page_times, calc_times = [], []
    for _ in range(max(args.repeat, 5)):
        t = time.perf_counter()
        r = client.get("/policies/calculator/")
        page_times.append(time.perf_counter() - t)
        assert r.status_code == 200
        t = time.perf_counter()
        calc = sel.calculate(sel.enterprise_facts(ent, today), on=today)
        calc_times.append(time.perf_counter() - t)
    page, calc_t = statistics.median(page_times), statistics.median(calc_times)
    if args.profile:
        import cProfile
        import pstats

        with cProfile.Profile() as prof:
            client.get("/policies/calculator/")
        pstats.Stats(prof).sort_stats("cumulative").print_stats(30)

    table = Table(title=f"Policy matching, {args.enterprises:,} enterprises × {args.policies} policies")
    for col in ("measure", "value", "matches"):
        table.add_column(col)
    table.add_row("engine (200 runs, INSERT … SELECT each)", f"{e:.2f} s", f"{counts['engine']:,}")
    table.add_row("floor (bare SQL, same predicates)", f"{f:.2f} s", f"{counts['floor']:,}")
    table.add_row(
        "one enterprise: calculation (200 explained)", f"{calc_t * 1000:.0f} ms", str(len(calc.eligible))
    )
    table.add_row("one enterprise: calculator page", f"{page * 1000:.0f} ms", "")
    console.print(table)
    console.print(f"engine / floor = {e / f:.2f}× (goal ≤ 2×)")
    if counts["engine"] != counts["floor"]:
        console.print(
            f"[yellow]note: the bare SQL lists {counts['floor']:,}, the engine {counts['engine']:,}: the bare SQL "
            "treats an unknown fact in NOT IN / <> as excluded, and years by date_part; the engine's count is the "
            "property-tested one[/yellow]"
        )


if __name__ == "__main__":
    main()
