"""Benchmark: the assessment dashboard and the monthly service-quality report at 100,000 and 1,000,000 cases,
with satisfaction reviews for half of them.

Reuses the cases benchmark's generator and ``COPY`` loader (``bench/cases.py``, ``bench/casegen.py``) over the demo
catalogue, then writes one review for every second case in one set-based ``INSERT … SELECT`` (the values the
reviewable-service registry records: office, department, hall, street, clerk, item; levels 5…1 in a fixed mix,
bad ones tagged), rebuilds the figures rollup, runs ``ANALYZE`` and times (median of ``--repeat`` runs):

* **assessment**: a service-quality supervisor's ``GET /analytics/assessment/`` for the latest full month (the
  department ranking with the published formula, rendered HTML);
* **monthly report**: the figures of that month's report (``feedback.selectors.period_figures``) rendered as PDF
  and as Excel (what ``report_issue`` keeps, without storing it);
* the floor measured in the same run: counting the month's reviews (one indexed range count).

It prints each at both sizes with the growth factor (goal ≤ 3× for 10× the cases). PostgreSQL only; the scratch
database (``--db``) is created and dropped at the end; one connection.

    .venv/bin/python bench/analytics.py [--small 100000] [--large 1000000] [--repeat 3] [--db yiwang_bench_analytics]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import cases as casebench

ADMIN = os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")

REVIEWS_SQL = """
INSERT INTO feedback_review (service, subject_id, subject_ref, level, tags, tag_text, comment, channel, real_name,
    case_id, office_id, department_id, hall_id, street_id, clerk_id, item_code, item_name, given_at, editable_until,
    excluded, excluded_reason)
SELECT CASE WHEN c.decided_on IS NULL THEN 'application.acceptance' ELSE 'application.result' END,
       c.id, c.number, lv.level,
       CASE WHEN lv.level <= 2 THEN '["late"]'::jsonb ELSE '[]'::jsonb END,
       CASE WHEN lv.level <= 2 THEN ',late,' ELSE '' END,
       '', 'portal', true, c.id, c.owning_office_id, a.department_id, a.receiving_hall_id, h.street_id,
       c.received_by_id, i.code, i.name, c.received_at + interval '1 day', c.received_at + interval '1 day 30 minutes',
       (lv.level = 1 AND c.id %% 10 = 0), ''
FROM cases_case c
JOIN applications_application a ON a.case_id = c.id
JOIN catalogue_item i ON i.id = a.item_id
LEFT JOIN accounts_hall h ON h.id = a.receiving_hall_id
CROSS JOIN LATERAL (SELECT CASE WHEN (c.id * 7919) %% 100 < 3 THEN 1 WHEN (c.id * 7919) %% 100 < 6 THEN 2
                                WHEN (c.id * 7919) %% 100 < 14 THEN 3 WHEN (c.id * 7919) %% 100 < 40 THEN 4
                                ELSE 5 END AS level) lv
WHERE c.kind = 'application' AND c.id %% 2 = 0 AND c.id > %s
ON CONFLICT DO NOTHING
"""


def median_ms(fn: Any, repeat: int) -> float:
    fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def add_reviews(after: int) -> float:
    from django.db import connection

    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(REVIEWS_SQL, [after])
        cur.execute("ANALYZE feedback_review")
    return time.perf_counter() - t0


def measure(repeat: int) -> dict[str, float]:
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from yiwang.accounts.models import RoleGrant, User
    from yiwang.applications.figures import figures_rebuild
    from yiwang.cases.models import Case
    from yiwang.feedback import reports
    from yiwang.feedback import selectors as fs
    from yiwang.feedback.models import Review

    figures_rebuild()
    with connection.cursor() as cur:
        cur.execute("ANALYZE cases_case; ANALYZE applications_application; ANALYZE applications_figurerollup")
    sup, _c = User.objects.get_or_create(
        username="bench_quality", defaults={"kind": "staff", "is_staff": True}
    )
    RoleGrant.objects.get_or_create(user=sup, role="service_supervisor")
    client = Client()
    client.force_login(User.objects.get(pk=sup.pk))
    month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    end = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)

    def assessment() -> None:
        r = client.get("/analytics/assessment/", {"month": month.strftime("%Y-%m")})
        assert r.status_code == 200, r.status_code

    def monthly() -> None:
        f = fs.period_figures(month, end)
        reports.render_pdf("monthly", f, month, end)
        reports.render_xlsx("monthly", f, month, end)

    def floor() -> None:
        Review.objects.filter(fs.period_q("given_at", month, end)).count()

    return {
        "cases": Case.objects.count(),
        "reviews": Review.objects.count(),
        "month_reviews": Review.objects.filter(fs.period_q("given_at", month, end)).count(),
        "assessment_ms": median_ms(assessment, repeat),
        "report_ms": median_ms(monthly, repeat),
        "floor_ms": median_ms(floor, repeat),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=100_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--db", default="yiwang_bench_analytics")
    parser.add_argument("--seed", type=int, default=20261201)
    args = parser.parse_args()
    import psycopg

    base = ADMIN.rsplit("/", 1)[0]
    url = f"{base}/{args.db}"
    with psycopg.connect(ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{args.db}"')
    try:
        casebench._setup(url)
        from rich.console import Console

        console = Console()
        casebench._prepare(console)
        casebench._truncate()
        counters: dict[Any, int] = {}
        t_small = casebench.load_cases(args.small, seed=args.seed, counters=counters, console=console)
        r_small = add_reviews(0)
        small = measure(args.repeat)
        from yiwang.cases.models import Case

        last = Case.objects.order_by("-id").values_list("id", flat=True).first() or 0
        t_large = casebench.load_cases(
            args.large - args.small, seed=args.seed + 1, counters=counters, console=console
        )
        r_large = add_reviews(last)
        large = measure(args.repeat)
        print(f"{'':44}{small['cases']:>14,}{large['cases']:>14,}   growth")
        print(f"{'reviews (half the cases)':44}{small['reviews']:>14,}{large['reviews']:>14,}")
        print(
            f"{'reviews in the measured month':44}{small['month_reviews']:>14,}{large['month_reviews']:>14,}"
        )
        worst = 0.0
        for key, label in (
            ("assessment_ms", "assessment page (department ranking), ms"),
            ("report_ms", "monthly report (figures + PDF + Excel), ms"),
            ("floor_ms", "floor: count the month's reviews, ms"),
        ):
            g = large[key] / small[key] if small[key] else 0.0
            if key != "floor_ms":
                worst = max(worst, g)
            print(f"{label:44}{small[key]:>14.1f}{large[key]:>14.1f}   {g:.2f}×")
        print(f"{'load cases (generate + COPY), s':44}{t_small:>14.1f}{t_large:>14.1f}")
        print(f"{'write reviews (INSERT … SELECT), s':44}{r_small:>14.1f}{r_large:>14.1f}")
        print(
            f"growth factor (worst of assessment and report): {worst:.2f}× — goal ≤ 3× {'MET' if worst <= 3 else 'NOT MET'}"
        )
        return 0 if worst <= 3 else 1
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())
