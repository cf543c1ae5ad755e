"""深圳90 at district scale: does the project clock and the coordinator's board keep up?

1. **Recomputation** (arrays, no database): 10,000 live projects of the building plan, each item filed and
   decided on dates drawn by a seeded generator. After a calendar change (a new holiday) every project's
   durations are rebuilt from its dates with the calendar's vectorised working-day counts, and the critical
   path, slack and critical flags are computed for all of them (``construction.schedule.compute``); the same
   after one item's delay (its duration + 5 for every project). Against the floor measured in the same run: a
   bare topological pass (earliest finish only, ``schedule.forward``) over the same arrays. Goal ≤ 3×.
2. **Board** (PostgreSQL, a scratch database it creates, migrates and drops): the coordinator's board page
   (``GET /construction/board/``: count, at-risk count, the 50 least slack) at 1,000 and at 10,000 projects,
   and the growth factor (goal ≤ 3× for 10× the projects). Then ``projects_recompute_all`` over the 10,000
   stored projects (informational).

    .venv/bin/python bench/construction.py [--scale 10000] [--repeat 5] [--db yiwang_bench_construction]

Environment: BENCH_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres). Only loopback is
contacted; one database connection.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def _median(fn: Any, repeat: int) -> float:
    fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def arrays(n: int, repeat: int) -> None:
    from yiwang.construction.defaults import DEFAULT_PLANS
    from yiwang.construction.plans import plan_instantiate
    from yiwang.construction.schedule import Topology, Workspace, compute, forward
    from yiwang.workdays.calendar import package_data
    from yiwang.workdays.engine import WorkCalendar

    definition = next(p for p in DEFAULT_PLANS if p["code"] == "gov_building")["definition"]
    inst = plan_instantiate(definition, investment=__import__("decimal").Decimal(10**8), nature="new")
    topo = Topology.of([i for i in inst.items if i.stage <= 3])
    m = len(topo.keys)
    rng = np.random.default_rng(90)
    base = np.datetime64("2026-03-02")
    starts = base + rng.integers(0, 200, size=(n, m)).astype("timedelta64[D]")
    ends = starts + rng.integers(3, 40, size=(n, m)).astype("timedelta64[D]")
    corrections = rng.choice([0, 0, 0, 2, 4], size=(n, m))
    budget = np.full(n, inst.budget_days)
    # the calendar after a change: one more holiday in the middle of the span
    holidays, workdays, years = package_data()
    changed = WorkCalendar({**holidays, date(2026, 6, 1): "新增假日"}, workdays, years, version="bench")

    def durations(c: Any) -> np.ndarray:
        d = c.workdays_between_many(starts.ravel(), ends.ravel()).reshape(n, m) - corrections
        return np.maximum(d, 0)

    d = durations(changed)
    work = Workspace(m, n)  # the same buffers for the floor and the full computation
    floor = _median(lambda: forward(topo, d, work), repeat)
    full = _median(lambda: compute(topo, d, budget, work=work), repeat)
    with_dates = _median(lambda: compute(topo, durations(changed), budget, work=work), repeat)
    delayed = d.copy()
    delayed[:, topo.index("works_planning")] += 5
    delay = _median(lambda: compute(topo, delayed, budget, work=work), repeat)
    s = compute(topo, delayed, budget)
    print(f"recomputation, {n:,} projects × {m} items (median of {repeat}):")
    print(f"  floor: bare topological pass (earliest finish)        {floor * 1000:8.2f} ms")
    print(
        f"  critical path + slack after a calendar change        {full * 1000:8.2f} ms  ratio {full / floor:.2f}× (goal ≤ 3×)"
    )
    print(
        f"  … including rebuilding the durations from the dates  {with_dates * 1000:8.2f} ms  ratio {with_dates / floor:.2f}×"
    )
    print(
        f"  critical path + slack after one item's delay (+5)    {delay * 1000:8.2f} ms  ratio {delay / floor:.2f}× (goal ≤ 3×)"
    )
    print(f"  projects at risk after the delay: {int((s.project_slack <= 0).sum()):,}")


def board(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    call_command("migrate", verbosity=0)
    from tests.construction.builders import make_catalogue
    from tests.factories import build_world

    from yiwang.cases.models import Case, CaseParty
    from yiwang.cases.states import state_key
    from yiwang.construction import services as cs
    from yiwang.construction.models import Plan, Project, ProjectItem
    from yiwang.construction.plans import plan_instantiate

    w = build_world()
    make_catalogue(w)
    cs.plans_install_defaults()
    plan = Plan.objects.get(code="gov_building")
    inst = plan_instantiate(
        plan.current.definition, investment=__import__("decimal").Decimal(10**8), nature="new"
    )  # type: ignore[union-attr]
    rng = np.random.default_rng(7)
    client = Client()
    client.force_login(w.users["project_coordinator"])
    made = 0
    results = {}
    for target in (args.scale // 10, args.scale):
        rows = []
        for k in range(made, target):
            rows.append(
                Case(
                    number=f"JSB{k:07d}", kind="construction", status="in_approval",
                    state_id=state_key("construction", "in_approval"), title=f"基准项目{k}", channel="online",
                    owning_office=w.office, applicant_enterprise=w.enterprise,
                )
            )  # fmt: skip
        Case.objects.bulk_create(rows, batch_size=2000)
        today = date.today()  # noqa: DTZ011 - the bench has no time zone of its own
        projects = [
            Project(
                case=c,
                plan_version=plan.current,
                project_type="gov_building",
                investment_kind="government",
                nature="new",
                investment=10**8,
                location="龙岗",
                budget_days=85,
                base_budget_days=85,
                started_on=today - timedelta(days=int(rng.integers(0, 120))),
                slack=int(rng.integers(-10, 40)),
                expected_days=85,
                expected_finish=today + timedelta(days=int(rng.integers(0, 120))),
            )
            for c in rows
        ]
        Project.objects.bulk_create(projects, batch_size=2000)
        items = []
        for p in projects:
            start = p.started_on
            for pos, i in enumerate(inst.items, start=1):
                sub = start if i.stage == 1 else None
                items.append(
                    ProjectItem(
                        project=p,
                        key=i.key,
                        position=pos,
                        name=i.name,
                        item_code=i.item_code,
                        stage=i.stage,
                        budget_days=i.days,
                        after=list(i.after),
                        submitted_on=sub,
                        office=w.office if sub else None,
                    )
                )
        ProjectItem.objects.bulk_create(items, batch_size=5000)
        CaseParty.objects.bulk_create(
            [CaseParty(case=c, role="owner", enterprise=w.enterprise) for c in rows], batch_size=5000
        )
        made = target
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
        assert client.get("/construction/board/").status_code == 200
        results[target] = _median(lambda: client.get("/construction/board/"), args.repeat)
        print(f"board page at {target:>6,} projects: {results[target] * 1000:7.1f} ms")
    small, big = results[args.scale // 10], results[args.scale]
    print(f"  growth for 10× the projects: {big / small:.2f}× (goal ≤ 3×)")
    t = time.perf_counter()
    n = cs.projects_recompute_all()
    print(
        f"projects_recompute_all over {n:,} stored projects (read, compute, bulk update): {time.perf_counter() - t:.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--db", default="yiwang_bench_construction")
    parser.add_argument("--arrays-only", action="store_true", help="only the recomputation (no database)")
    args = parser.parse_args()
    # the test settings: the fixtures of tests.factories (a world of offices and roles) hash passwords fast
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.config.settings.test")
    admin = os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parts = urlsplit(admin)
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("the benchmark only runs against a database on loopback")
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{args.db}"')
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path="/" + args.db))
    os.environ["DEBUG"] = "false"
    sys.path.insert(0, str(ROOT))
    try:
        import django

        django.setup()
        arrays(args.scale, max(args.repeat, 21))
        if not args.arrays_only:
            board(args)
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')


if __name__ == "__main__":
    main()
