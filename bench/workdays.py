"""Benchmark: 100,000 working-day deadlines, three ways.

* the engine's vectorised path (``WorkCalendar.add_workdays_many``: date conversion, bounds checks,
  one lookup in the cumulative working-day index);
* the floor: the bare numpy index lookup ``wpos[cum[start] + n - 1]`` on precomputed integer offsets;
* the day-by-day loop (what a naive implementation does): step one day at a time and test each
  day against the package's holiday and make-up-day tables. ``chinese_calendar.is_workday`` itself
  is about 60 µs a call, so a loop on it takes about five minutes for 100,000 pairs; the bench
  checks that the table test equals ``is_workday`` on every day of the range, times the loop on
  ``is_workday`` over a sample and extrapolates (``--full-package-loop`` runs it all).

Targets (issue 3): vectorised within 3x of the floor, at least 100x faster than the loop, and 0
differences from the loop. For information it also counts how often ``numpy.busday_offset`` with
the holiday list (which cannot express make-up working weekends) disagrees.

Run: ``python bench/workdays.py [--pairs 100000] [--seed 20261122]``
"""

from __future__ import annotations

import argparse
import platform
import time
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import chinese_calendar
import numpy as np

from yiwang.workdays.calendar import package_calendar

if TYPE_CHECKING:
    from collections.abc import Callable

FIRST = date(2019, 1, 1)
LAST_START = date(2026, 9, 30)  # so that every due date (N ≤ 60) stays inside the package's 2026
MAX_N = 60


def best_of(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


HOLIDAYS = frozenset(chinese_calendar.holidays)
MAKEUP = frozenset(chinese_calendar.workdays)


def table_is_workday(d: date) -> bool:
    return d in MAKEUP or (d.weekday() < 5 and d not in HOLIDAYS)


def loop_add(start: date, n: int, is_workday: Callable[[date], bool] = table_is_workday) -> date:
    d, k = start, 0
    while k < n:
        d += timedelta(days=1)
        if is_workday(d):
            k += 1
    return d


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--sample", type=int, default=2_000, help="pairs for the is_workday loop estimate")
    parser.add_argument(
        "--full-package-loop", action="store_true", help="run the is_workday loop on all pairs"
    )
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    span = (LAST_START - FIRST).days + 1
    offsets = rng.integers(0, span, size=args.pairs)
    starts = np.datetime64(FIRST.isoformat(), "D") + offsets
    ns = rng.integers(1, MAX_N + 1, size=args.pairs)

    cal = package_calendar()
    # engine internals, precomputed, for the floor
    cum, wpos = cal._cum, cal._wpos
    s_idx = (starts - cal._origin).astype(np.int64)

    t_vec, vec = best_of(lambda: cal.add_workdays_many(starts, ns), args.repeat)
    t_floor, floor = best_of(lambda: wpos[cum[s_idx] + ns - 1], args.repeat)
    floor_dates = floor + cal._origin

    py_starts = [d.item() for d in starts]
    py_ns = [int(n) for n in ns]
    day, last = FIRST, date(2026, 12, 31)
    table_mismatch = 0
    while day <= last:
        table_mismatch += table_is_workday(day) != chinese_calendar.is_workday(day)
        day += timedelta(days=1)

    t0 = time.perf_counter()
    loop = [loop_add(s, n) for s, n in zip(py_starts, py_ns, strict=True)]
    t_loop = time.perf_counter() - t0
    loop_arr = np.array(loop, dtype="datetime64[D]")

    m = len(py_starts) if args.full_package_loop else min(args.sample, len(py_starts))
    t0 = time.perf_counter()
    pkg = [loop_add(s, n, chinese_calendar.is_workday) for s, n in zip(py_starts[:m], py_ns[:m], strict=True)]
    t_pkg = (time.perf_counter() - t0) * len(py_starts) / m
    diff_pkg = int((np.array(pkg, dtype="datetime64[D]") != vec[:m]).sum())

    diff_loop = int((vec != loop_arr).sum())
    diff_floor = int((vec != floor_dates).sum())

    holidays = np.array(
        sorted(d for d in chinese_calendar.holidays if d.weekday() < 5), dtype="datetime64[D]"
    )
    t_bus, bus = best_of(lambda: np.busday_offset(starts, ns, roll="backward", holidays=holidays), 5)
    diff_bus = int((bus != loop_arr).sum())

    print(f"python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}")
    print(
        f"pairs: {args.pairs:,} random (start, N), starts {FIRST}..{LAST_START}, N 1..{MAX_N}, seed {args.seed}"
    )
    print(f"vectorised engine (add_workdays_many): {t_vec * 1e3:9.3f} ms  (best of {args.repeat})")
    print(f"bare numpy index lookup (floor):       {t_floor * 1e3:9.3f} ms  (best of {args.repeat})")
    print(f"day-by-day loop (table lookups):       {t_loop * 1e3:9.1f} ms  (once)")
    how = "all pairs" if m == len(py_starts) else f"extrapolated from {m:,} pairs"
    print(f"day-by-day loop on is_workday():       {t_pkg * 1e3:9.1f} ms  ({how})")
    print(f"numpy.busday_offset with holidays:     {t_bus * 1e3:9.3f} ms  (best of 5, for information)")
    print(f"ratio vectorised / floor: {t_vec / t_floor:6.2f}x   (target <= 3)")
    print(f"ratio loop / vectorised:  {t_loop / t_vec:8.0f}x   (target >= 100)")
    print(f"ratio is_workday loop / vectorised: {t_pkg / t_vec:8.0f}x")
    print(f"differences vectorised vs loop: {diff_loop}   (target 0)")
    print(f"differences vectorised vs floor: {diff_floor}")
    print(f"differences vectorised vs is_workday loop: {diff_pkg} (on {m:,} pairs)")
    print(f"days 2019-2026 where the loop's table test differs from is_workday: {table_mismatch}")
    print(
        f"differences busday_offset vs loop: {diff_bus} ({diff_bus / args.pairs:.1%}; make-up weekends missed)"
    )
    ok = (
        t_vec / t_floor <= 3
        and t_loop / t_vec >= 100
        and diff_loop == 0
        and diff_pkg == 0
        and not table_mismatch
    )
    print("PASS" if ok else "FAIL")
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
