"""The clock's pure computation: pauses, extensions, stops, states and an explanation that adds up."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from yiwang.workdays import clock as C
from yiwang.workdays.calendar import package_calendar

TZ = ZoneInfo("Asia/Shanghai")
CAL = package_calendar()


def dt(y: int, m: int, d: int, h: int = 9) -> datetime:
    return datetime(y, m, d, h, tzinfo=TZ)


def compute(spec: C.ClockSpec, now: datetime) -> C.ClockResult:
    return C.compute(spec, CAL, now, TZ)


def adds_up(r: C.ClockResult, start: date) -> None:
    e = r.explanation
    assert e["counted"] == r.limit_total
    assert e["counted"] + e["excluded"] == CAL.workdays_between(start, r.due_date)
    assert sum(p["excluded"] for p in e["pauses"]) == e["excluded"]
    assert sum(1 for d in e["day_by_day"] if d["status"] == "counted") == e["counted"]
    assert sum(1 for d in e["day_by_day"] if d["status"] == "paused") == e["excluded"]


START = dt(2026, 9, 1, 10)  # Tuesday; Mid-autumn 9-25..27, National Day 10-1..7, make-up 9-20 and 10-10


def test_plain_clock_counts_the_make_up_sunday() -> None:
    r = compute(C.ClockSpec(START, C.WORKING_DAYS, 20), dt(2026, 9, 2))
    assert r.due_date == date(2026, 9, 29)
    assert r.due_at == datetime(2026, 9, 30, 0, 0, tzinfo=TZ)
    assert (r.state, r.remaining, r.provisional) == ("running", 19, False)
    assert [d["date"] for d in r.explanation["makeup_days"]] == ["2026-09-20"]
    assert [d["date"] for d in r.explanation["holidays"]] == ["2026-09-25", "2026-09-26", "2026-09-27"]
    adds_up(r, date(2026, 9, 1))


def test_due_soon_and_overdue() -> None:
    spec = C.ClockSpec(START, C.WORKING_DAYS, 20)
    assert (compute(spec, dt(2026, 9, 22)).state, compute(spec, dt(2026, 9, 22)).remaining) == ("running", 4)
    assert (compute(spec, dt(2026, 9, 23)).state, compute(spec, dt(2026, 9, 23)).remaining) == ("due_soon", 3)
    assert compute(spec, dt(2026, 9, 29, 23)).state == "due_soon"
    late = compute(spec, dt(2026, 9, 30, 0))
    assert (late.state, late.remaining) == ("overdue", -1)


def test_closed_pause_moves_due_date_by_working_days_paused() -> None:
    spec = C.ClockSpec(
        START, C.WORKING_DAYS, 20, pauses=[C.Pause("expert_review", dt(2026, 9, 25), dt(2026, 10, 12))]
    )
    r = compute(spec, dt(2026, 10, 13))
    # (9-25, 10-12] holds 7 working days: 9-28, 9-29, 9-30, 10-8, 10-9, 10-10 (Saturday make-up), 10-12
    assert r.excluded == 7
    assert r.due_date == date(2026, 10, 14)
    assert (r.state, r.remaining) == ("due_soon", 1)
    adds_up(r, date(2026, 9, 1))


def test_pause_spanning_a_holiday_excludes_only_working_days() -> None:
    base = compute(C.ClockSpec(START, C.WORKING_DAYS, 30), dt(2026, 9, 2))
    assert base.due_date == date(2026, 10, 19)
    spec = C.ClockSpec(
        START, C.WORKING_DAYS, 30, pauses=[C.Pause("testing", dt(2026, 9, 30), dt(2026, 10, 9))]
    )
    r = compute(spec, dt(2026, 10, 10))
    # (9-30, 10-9]: ten calendar days, seven of them National Day, two working days (10-8, 10-9)
    assert r.excluded == 2
    assert r.due_date == date(2026, 10, 21)
    adds_up(r, date(2026, 9, 1))


def test_overlapping_pauses_count_each_day_once() -> None:
    spec = C.ClockSpec(
        START,
        C.WORKING_DAYS,
        20,
        pauses=[
            C.Pause("expert_review", dt(2026, 9, 25), dt(2026, 10, 9)),
            C.Pause("hearing", dt(2026, 10, 8), dt(2026, 10, 12)),
        ],
    )
    r = compute(spec, dt(2026, 10, 13))
    assert r.excluded == 7
    assert r.due_date == date(2026, 10, 14)
    assert [p["excluded"] for p in r.explanation["pauses"]] == [5, 2]
    adds_up(r, date(2026, 9, 1))


def test_open_pause_keeps_moving_the_due_date() -> None:
    spec = C.ClockSpec(START, C.WORKING_DAYS, 20, pauses=[C.Pause("correction", dt(2026, 9, 25))])
    r = compute(spec, dt(2026, 10, 9, 12))
    assert (r.state, r.due_date, r.excluded, r.remaining) == ("paused", date(2026, 10, 12), 5, 2)
    assert r.explanation["pauses"][0]["open"] is True
    later = compute(spec, dt(2026, 10, 12, 12))
    assert (later.state, later.due_date, later.remaining) == ("paused", date(2026, 10, 14), 2)
    adds_up(later, date(2026, 9, 1))


def test_extension_added_while_paused() -> None:
    spec = C.ClockSpec(
        START,
        C.WORKING_DAYS,
        20,
        pauses=[C.Pause("correction", dt(2026, 9, 25))],
        extensions=[C.Extension(10, "complex case", "head", dt(2026, 10, 8))],
    )
    r = compute(spec, dt(2026, 10, 9, 12))
    assert r.limit_total == 30
    assert (r.state, r.due_date, r.remaining) == ("paused", date(2026, 10, 26), 12)
    assert r.explanation["extension_total"] == 10
    adds_up(r, date(2026, 9, 1))


def test_stopped_clock_is_frozen_and_resumption_excludes_the_gap() -> None:
    stopped = C.ClockSpec(START, C.WORKING_DAYS, 20, stopped_at=dt(2026, 9, 10, 10))
    r = compute(stopped, dt(2026, 12, 1))
    assert (r.state, r.due_date, r.remaining) == ("stopped", date(2026, 9, 29), 13)
    # resumed on 9-21: the stop is recorded as a pause (9-10, 9-21] = 8 working days
    resumed = C.ClockSpec(
        START, C.WORKING_DAYS, 20, pauses=[C.Pause("stopped", dt(2026, 9, 10, 10), dt(2026, 9, 21, 10))]
    )
    r2 = compute(resumed, dt(2026, 9, 21, 11))
    assert (r2.state, r2.excluded, r2.due_date) == ("running", 8, date(2026, 10, 15))
    adds_up(r2, date(2026, 9, 1))


def test_pause_after_the_due_date_changes_nothing() -> None:
    spec = C.ClockSpec(
        START, C.WORKING_DAYS, 20, pauses=[C.Pause("hearing", dt(2026, 10, 12), dt(2026, 10, 14))]
    )
    r = compute(spec, dt(2026, 10, 15))
    assert (r.due_date, r.excluded, r.state, r.remaining) == (date(2026, 9, 29), 0, "overdue", -8)


def test_calendar_day_limit_rolls_over_a_holiday() -> None:
    r = compute(C.ClockSpec(dt(2026, 9, 26), C.CALENDAR_DAYS, 5), dt(2026, 9, 27))
    assert (r.due_date, r.explanation["rolled_from"]) == (date(2026, 10, 8), "2026-10-01")
    r2 = compute(
        C.ClockSpec(
            dt(2026, 3, 2),
            C.CALENDAR_DAYS,
            10,
            pauses=[C.Pause("site_survey", dt(2026, 3, 4), dt(2026, 3, 6))],
        ),
        dt(2026, 3, 7),
    )
    assert (r2.due_date, r2.excluded, r2.remaining) == (date(2026, 3, 16), 2, 9)


def test_hour_limit_with_a_pause() -> None:
    spec = C.ClockSpec(
        dt(2026, 3, 2, 9),
        C.HOURS,
        24,
        pauses=[C.Pause("third_party", dt(2026, 3, 2, 10), dt(2026, 3, 2, 13))],
    )
    r = compute(spec, dt(2026, 3, 2, 14))
    assert r.due_at == dt(2026, 3, 3, 12)
    assert (r.excluded, r.remaining, r.state) == (3, 22, "running")
    assert compute(spec, dt(2026, 3, 3, 10)).state == "due_soon"
    assert compute(spec, dt(2026, 3, 3, 12)).state == "overdue"


def test_provisional_when_reaching_an_unpublished_year() -> None:
    r = compute(C.ClockSpec(dt(2026, 12, 20), C.WORKING_DAYS, 20), dt(2026, 12, 21))
    assert (r.due_date, r.provisional) == (date(2027, 1, 15), True)
    assert r.explanation["unpublished_years"] == [2027]


def oracle_due(start: date, total: int, pauses: list[tuple[date, date]]) -> date:
    d, k = start, 0
    while k < total:
        d += timedelta(days=1)
        if CAL.is_workday(d) and not any(a < d <= b for a, b in pauses):
            k += 1
    return d


pause_st = st.tuples(st.integers(min_value=0, max_value=200), st.integers(min_value=0, max_value=60))


@settings(max_examples=300, deadline=None)
@given(
    start=st.dates(min_value=date(2004, 1, 1), max_value=date(2025, 6, 30)),
    limit=st.integers(min_value=0, max_value=120),
    ext=st.integers(min_value=0, max_value=20),
    pauses=st.lists(pause_st, max_size=4),
)
def test_due_date_equals_day_by_day_oracle_with_pauses(
    start: date, limit: int, ext: int, pauses: list[tuple[int, int]]
) -> None:
    spans = [(start + timedelta(days=a), start + timedelta(days=a + length)) for a, length in pauses]
    spec = C.ClockSpec(
        datetime.combine(start, datetime.min.time(), tzinfo=TZ).replace(hour=10),
        C.WORKING_DAYS,
        limit,
        pauses=[
            C.Pause(
                "p",
                datetime.combine(a, datetime.min.time(), tzinfo=TZ).replace(hour=11),
                datetime.combine(b, datetime.min.time(), tzinfo=TZ).replace(hour=15),
            )
            for a, b in spans
        ],
        extensions=[C.Extension(ext)] if ext else [],
    )
    r = compute(spec, datetime(2026, 6, 1, tzinfo=TZ))
    assert r.due_date == oracle_due(start, limit + ext, spans)
    if limit + ext:
        assert CAL.is_workday(r.due_date)
    adds_up(r, start)
