from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from .registry import ALL, NOBODY, Route

SHANGHAI = ZoneInfo("Asia/Shanghai")

SYS = frozenset({"sys_admin"})
# Staff of the clock's responsible office (world.office): reviewer, supervisor, department admin.
CLOCK_OFFICE = frozenset({"reviewer", "supervisor", "dept_admin"})


def _clock(w: Any, which: str = "own") -> int:
    key = f"workdays_clock_{which}"
    if key not in w.extra:
        from yiwang.workdays.services import clock_start

        office = w.office if which == "own" else w.other_office
        w.extra[key] = clock_start(
            actor=None,
            started_at=datetime(2026, 3, 2, 9, tzinfo=SHANGHAI),
            limit_kind="working_days",
            limit_value=20,
            office=office,
            label="decision",
            subject=f"test {which}",
        ).pk
    return int(w.extra[key])


ROUTES = [
    Route("workdays:calendar", allow=ALL, must_succeed=ALL),
    Route("workdays:year", allow=ALL, must_succeed=ALL, kwargs=lambda w: {"year": 2026}),
    Route("workdays:calculator", allow=ALL, must_succeed=ALL, query={"start": "2026-02-10", "days": "5"}),
    Route("workdays:manage", allow=SYS, must_succeed=SYS),
    Route(
        "workdays:manage",
        "POST",
        allow=SYS,
        must_succeed=SYS,
        json=False,
        data=lambda w: {"action": "publish", "year": "2031"},
    ),
    Route(
        "workdays:clock",
        allow=CLOCK_OFFICE,
        must_succeed=CLOCK_OFFICE,
        kwargs=lambda w: {"clock_id": _clock(w)},
    ),
    Route(
        "workdays:clock",
        allow=NOBODY,
        variant="other office",
        kwargs=lambda w: {"clock_id": _clock(w, "other")},
    ),
    # API
    Route(
        "API GET /api/workdays/add", allow=ALL, must_succeed=ALL, query={"start": "2008-10-01", "days": "20"}
    ),
    Route(
        "API GET /api/workdays/between",
        allow=ALL,
        must_succeed=ALL,
        query={"start": "2008-10-01", "end": "2008-10-31"},
    ),
    Route("API GET /api/workdays/next", allow=ALL, must_succeed=ALL, query={"date": "2026-10-01"}),
    Route(
        "API GET /api/workdays/calendar/{year}", allow=ALL, must_succeed=ALL, kwargs=lambda w: {"year": 2026}
    ),
    Route(
        "API GET /api/workdays/clocks/{clock_id}",
        allow=CLOCK_OFFICE,
        must_succeed=CLOCK_OFFICE,
        kwargs=lambda w: {"clock_id": _clock(w)},
    ),
    Route(
        "API GET /api/workdays/clocks/{clock_id}",
        allow=NOBODY,
        variant="other office",
        kwargs=lambda w: {"clock_id": _clock(w, "other")},
    ),
]
