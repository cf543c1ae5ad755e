"""The public 双公示 search and the annual report at scale: does the search stay flat from the district's
14,850 publications to 100 times as many, and how long does the annual report take over a year of a million
decisions?

On PostgreSQL (a scratch database it creates, migrates and drops) it inserts publications set-based
(``INSERT … SELECT generate_series``; two in three from enterprises, the rest masked persons; 40 offices),
first ``--small`` (default 14,850) then up to ``--large`` (default 1,485,000, of which 1,000,000 decided in
2025), and measures at each size, in the same run:

* **search** as the public page runs it (``selectors.publications_search`` → the first page of 20 and the
  bounded count of ``core.paging``), p50 over ``--queries`` random searches of each kind: part of a party's
  name, a credit code, an office and a month, a month alone; the **growth factor** large/small (goal ≤ 3×);
* **annual report** (``disclosure.report.annual_report``) for 2025 at the large size, against the bare
  ``GROUP BY kind`` count over the same year in the same run.

    .venv/bin/python bench/disclosure.py [--small 14850] [--large 1485000] [--queries 40]

Environment: BENCH_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres). One connection.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
OFFICES = 40
# Party names as the register holds them: 深圳市 + a three-character brand + an industry + 有限公司 (enterprises,
# each name different), a surname and one or two given characters (persons, many alike). Formulas shared by
# the SQL and the queries.
BRAND = "华瑞鑫达恒泰盛丰宏源嘉汇通德信和安康博睿智远航天海龙腾飞翔明辉光耀金银玉宝星辰月阳春秋山川河湖江新正诚昌隆兴旺福禄喜乐美佳优卓越群英豪杰俊彦"
INDUSTRY = ["科技", "贸易", "餐饮", "物流", "建筑", "电子", "医药", "教育", "文化", "环保",
            "能源", "材料", "机械", "服装", "食品", "传媒", "咨询", "物业", "投资", "网络"]  # fmt: skip
SURNAME = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"


def firm_name(g: int) -> str:
    n = len(BRAND)
    brand = BRAND[g // 20 % n] + BRAND[g // (20 * n) % n] + BRAND[g // (20 * n * n) % n]
    return f"深圳市{brand}{INDUSTRY[g % 20]}有限公司"


def firm_part(g: int) -> str:
    """What a member of the public types: the brand and the industry."""
    return firm_name(g)[3:-4]


IN_2025 = 1000 / 1485  # the share of publications decided in 2025 (a million of 1,485,000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=14_850)
    parser.add_argument("--large", type=int, default=1_485_000)
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--db", default="yiwang_bench_disclosure")
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


INSERT = """
INSERT INTO disclosure_publication (kind, source_key, decision_number, title, party_kind, party_name,
    credit_code, id_masked, content, basis, office_id, decided_on, publish_by, published_on, expires_on,
    withdrawal_reason)
SELECT
    CASE WHEN g %% 9 < 5 THEN 'licence' ELSE 'penalty' END,
    'bench:' || g,
    CASE WHEN g %% 9 < 5 THEN '深龙许〔' ELSE '深龙罚〔' END || extract(year FROM d)::int || '〕' || g || '号',
    CASE WHEN g %% 9 < 5 THEN '食品经营许可' ELSE '警告，罚款' END,
    CASE WHEN g %% 3 = 0 THEN 'natural' ELSE 'legal' END,
    CASE WHEN g %% 3 = 0
         THEN substr('%(surname)s', 1 + (g %% %(n_surname)s)::int, 1)
              || substr('%(given)s', 1 + (g * 7 %% %(n_given)s)::int, 1 + (g %% 2)::int)
         ELSE '深圳市' || substr('%(brand)s', 1 + (g / 20 %% %(n_brand)s)::int, 1)
              || substr('%(brand)s', 1 + (g / (20 * %(n_brand)s) %% %(n_brand)s)::int, 1)
              || substr('%(brand)s', 1 + (g / (20 * %(n_brand)s * %(n_brand)s) %% %(n_brand)s)::int, 1)
              || (%(industry)s)[1 + (g %% 20)::int] || '有限公司' END,
    CASE WHEN g %% 3 = 0 THEN '' ELSE '91440307MA' || lpad(g::text, 8, '0') END,
    CASE WHEN g %% 3 = 0 THEN '440307********' || lpad((g %% 10000)::text, 4, '0') ELSE '' END,
    '未按规定办理相关手续', '《中华人民共和国行政处罚法》',
    (%(offices)s)[1 + g %% %(n_offices)s],
    d, d + 9, d + (g %% 7)::int, d + 1095, ''
FROM (
    SELECT g, CASE WHEN (g * 7919) %% 1485 < 1000
                   THEN date '2025-01-01' + ((g * 31) %% 365)::int
                   ELSE date '2026-01-01' + ((g * 31) %% 330)::int END AS d
    FROM generate_series(%(start)s::bigint, %(stop)s::bigint) AS g
) AS s
"""


def _fill(cursor: Any, start: int, stop: int, offices: list[int]) -> float:
    t = time.perf_counter()
    array = "ARRAY[" + ",".join(str(o) for o in offices) + "]::bigint[]"
    sql = INSERT.replace("%(offices)s", array).replace("%(n_offices)s", str(len(offices)))
    industry = "ARRAY[" + ",".join(f"'{i}'" for i in INDUSTRY) + "]"
    for key, value in (
        ("surname", SURNAME),
        ("given", GIVEN),
        ("brand", BRAND),
        ("industry", industry),
        ("n_surname", str(len(SURNAME))),
        ("n_given", str(len(GIVEN))),
        ("n_brand", str(len(BRAND))),
    ):
        sql = sql.replace(f"%({key})s", value)
    cursor.execute(sql.replace("%%", "%").replace("%(start)s", str(start)).replace("%(stop)s", str(stop)))
    cursor.execute("VACUUM ANALYZE disclosure_publication")  # what autovacuum does after a bulk load
    return time.perf_counter() - t


def _searches(n: int, scale: int, offices: list[str], rng: random.Random) -> dict[str, list[Any]]:
    from datetime import date

    from yiwang.disclosure.selectors import PublicationQuery

    def month() -> tuple[date, date]:
        m = rng.randrange(1, 13)
        return date(2025, m, 1), date(2025, m, 28)

    def firm() -> int:
        g = rng.randrange(1, scale)
        return g + (1 if g % 3 == 0 else 0)

    out: dict[str, list[Any]] = {"name": [], "credit code": [], "office + month": [], "month": []}
    for _ in range(n):
        out["name"].append(PublicationQuery(name=firm_part(firm())))
        out["credit code"].append(PublicationQuery(credit_code=f"91440307MA{firm():08d}"))
        a, b = month()
        out["office + month"].append(PublicationQuery(office=rng.choice(offices), date_from=a, date_to=b))
        a, b = month()
        out["month"].append(PublicationQuery(date_from=a, date_to=b))
    return out


def _time_search(queries: list[Any]) -> tuple[float, int]:
    from datetime import date

    from yiwang.core.paging import BoundedPaginator
    from yiwang.disclosure import selectors

    times, found = [], 0
    for q in queries:
        t = time.perf_counter()
        page = BoundedPaginator(selectors.publications_search(q, today=date(2026, 12, 1)), 20).get_page(1)
        rows = list(page)
        found += page.paginator.count
        times.append(time.perf_counter() - t)
        assert len(rows) <= 20
    return statistics.median(times), found // max(1, len(queries))


def run(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from rich.console import Console
    from rich.table import Table

    from yiwang.accounts.models import Department, District, Office
    from yiwang.disclosure import report

    console = Console()
    call_command("migrate", verbosity=0)
    district = District.objects.create(code="440307", name="龙岗区")
    dept = Department.objects.create(code="D01", name="市场监管局", district=district)
    offices = [
        Office.objects.create(code=f"B{i:03d}", name=f"科室{i}", department=dept) for i in range(OFFICES)
    ]
    ids = [o.pk for o in offices]
    codes = [o.code for o in offices]
    rng = random.Random(11)
    table = Table(title="双公示 search: p50 of the first page and the bounded count")
    for col in ("search", f"{args.small:,}", f"{args.large:,}", "growth (goal ≤ 3×)", "found (large)"):
        table.add_column(col, justify="right")
    results: dict[str, list[Any]] = {}
    for size, start in ((args.small, 1), (args.large, args.small + 1)):
        with connection.cursor() as c:
            took = _fill(c, start, size, ids)
        console.print(f"publications: {size:,} (inserted in {took:.1f} s)")
        queries = _searches(args.queries, size, codes, rng)
        for kind, qs in queries.items():
            _time_search(qs[:3])  # warm the plan and the cache
            results.setdefault(kind, []).append(_time_search(qs))
    for kind, ((small, _f1), (large, found)) in results.items():
        table.add_row(
            kind, f"{small * 1000:.1f} ms", f"{large * 1000:.1f} ms", f"{large / small:.2f}×", f"{found:,}"
        )
    console.print(table)

    with connection.cursor() as c:
        c.execute(
            "SELECT count(*) FROM disclosure_publication WHERE decided_on BETWEEN '2025-01-01' AND '2025-12-31'"
        )
        in_year = c.fetchone()[0]
        t = time.perf_counter()
        c.execute(
            "SELECT kind, count(*) FROM disclosure_publication "
            "WHERE decided_on BETWEEN '2025-01-01' AND '2025-12-31' GROUP BY kind"
        )
        c.fetchall()
        bare = time.perf_counter() - t
    t = time.perf_counter()
    tables = report.annual_report(2025)
    took = time.perf_counter() - t
    decisions = {r[0]: r[1] for r in tables[1].rows[1:]}
    console.print(
        f"annual report 2025 over {in_year:,} decisions: {took:.2f} s "
        f"(bare GROUP BY {bare:.2f} s, ratio {took / bare:.2f}×); decisions in the report: {decisions}"
    )


if __name__ == "__main__":
    main()
