"""The pure engine against a day-by-day oracle on chinese_calendar.is_workday (docs/rules.md §1)."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from yiwang.workdays.calendar import package_calendar
from yiwang.workdays.engine import CalendarRangeError, WorkCalendar

CAL = package_calendar()
WEEKENDS_ONLY = WorkCalendar({}, {}, [])


def oracle_add(start: date, n: int) -> date:
    d, k = start, 0
    while k < n:
        d += timedelta(days=1)
        if chinese_calendar.is_workday(d):
            k += 1
    return d


def oracle_between(a: date, b: date) -> int:
    return sum(chinese_calendar.is_workday(a + timedelta(days=i)) for i in range(1, (b - a).days + 1))


starts = st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 12, 31))


@settings(max_examples=400, deadline=None)
@given(start=starts, n=st.integers(min_value=0, max_value=250))
def test_add_workdays_equals_day_by_day_oracle(start: date, n: int) -> None:
    try:
        expected = oracle_add(start, n)
    except NotImplementedError:  # the oracle's data ends with 2026
        assume(False)
    assert CAL.add_workdays(start, n) == expected
    assert CAL.is_provisional(start, expected) is False


@settings(max_examples=200, deadline=None)
@given(a=starts, span=st.integers(min_value=0, max_value=400))
def test_workdays_between_equals_oracle(a: date, span: int) -> None:
    b = a + timedelta(days=span)
    assume(b.year <= 2026)
    assert CAL.workdays_between(a, b) == oracle_between(a, b)
    assert CAL.workdays_between(b, a) == -oracle_between(a, b)


@settings(max_examples=200, deadline=None)
@given(d=st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 12, 20)))
def test_next_workday_and_is_workday_equal_oracle(d: date) -> None:
    assert CAL.is_workday(d) is chinese_calendar.is_workday(d)
    expected = d
    while not chinese_calendar.is_workday(expected):
        expected += timedelta(days=1)
    assert CAL.next_workday(d) == expected


@settings(max_examples=50, deadline=None)
@given(
    pairs=st.lists(
        st.tuples(
            st.dates(min_value=date(2004, 1, 1), max_value=date(2025, 12, 31)),
            st.integers(min_value=0, max_value=250),
        ),
        min_size=1,
        max_size=60,
    )
)
def test_vectorised_path_equals_scalar_and_oracle(pairs: list[tuple[date, int]]) -> None:
    starts_ = np.array([p[0].isoformat() for p in pairs], dtype="datetime64[D]")
    ns = np.array([p[1] for p in pairs])
    got = CAL.add_workdays_many(starts_, ns)
    assert [d.item() for d in got] == [oracle_add(s, n) for s, n in pairs]
    assert list(CAL.workdays_between_many(starts_, got)) == [n for _s, n in pairs]


def test_rules_check_case_2008() -> None:
    assert CAL.add_workdays(date(2008, 10, 1), 20) == date(2008, 10, 31)
    assert WEEKENDS_ONLY.add_workdays(date(2008, 10, 1), 20) == date(2008, 10, 29)
    # chinesecalendar's own helper first moves the start to a working day: not our convention.
    assert chinese_calendar.find_workday(20, date(2008, 10, 1)) == date(2008, 11, 3)


@pytest.mark.parametrize(
    "d",
    [
        date(2019, 2, 2),
        date(2019, 2, 3),
        date(2019, 4, 28),
        date(2019, 5, 5),
        date(2019, 9, 29),
        date(2019, 10, 12),
        date(2026, 1, 4),
        date(2026, 2, 14),
        date(2026, 2, 28),
        date(2026, 5, 9),
        date(2026, 9, 20),
        date(2026, 10, 10),
    ],
)
def test_make_up_days_are_working_days(d: date) -> None:
    assert d.weekday() >= 5
    assert CAL.is_workday(d) is True
    assert CAL.day_info(d).kind == "makeup"
    assert WEEKENDS_ONLY.is_workday(d) is False


def test_every_2019_and_2026_make_up_day_in_the_package_counts() -> None:
    for year in (2019, 2026):
        makeup = [d for d in CAL.workdays if d.year == year]
        assert len(makeup) == 6
        assert all(CAL.is_workday(d) for d in makeup)


def test_start_day_never_counted_even_when_working() -> None:
    # 2026-03-02 is a Monday: one working day after it is Tuesday.
    assert CAL.add_workdays(date(2026, 3, 2), 1) == date(2026, 3, 3)
    # From a Saturday: Monday is the first working day after it.
    assert CAL.add_workdays(date(2026, 3, 7), 1) == date(2026, 3, 9)
    assert CAL.add_workdays(date(2026, 3, 7), 0) == date(2026, 3, 7)


def test_unpublished_year_is_weekends_only_and_provisional() -> None:
    due = CAL.add_workdays(date(2026, 12, 20), 20)
    assert due == WEEKENDS_ONLY.add_workdays(date(2026, 12, 20), 20) == date(2027, 1, 15)
    assert CAL.is_provisional(date(2026, 12, 20), due) is True
    assert CAL.unpublished_years(date(2026, 12, 20), due) == [2027]
    assert CAL.is_provisional(date(2026, 12, 30), date(2026, 12, 31)) is False
    # counting starts the day after: a start on 31 December reaches into the next year at once
    assert CAL.is_provisional(date(2026, 12, 31), date(2027, 1, 1)) is True


def test_entries_of_an_unpublished_year_are_ignored_until_published() -> None:
    hol = {date(2027, 1, 1): "元旦"}
    draft = WorkCalendar(hol, {}, [2026])
    final = WorkCalendar(hol, {}, [2026, 2027])
    assert draft.is_workday(date(2027, 1, 1)) is True
    assert final.is_workday(date(2027, 1, 1)) is False
    assert final.add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 4)


def test_explanation_adds_up() -> None:
    e = CAL.explain(date(2026, 2, 10), 5)
    assert e.due == date(2026, 2, 24)
    assert e.counted == 5 == e.regular_workdays + len(e.makeup_days)
    assert [d.date for d in e.makeup_days] == [date(2026, 2, 14)]
    assert len(e.holidays) == 9
    assert e.calendar_days == 14 == e.counted + len(e.holidays) + e.weekend_days
    assert e.days[-1].date == e.due and e.days[-1].working
    data = e.to_dict()
    assert data["due"] == "2026-02-24" and data["holidays"][0]["name"] == "Spring Festival"
    assert len(data["day_by_day"]) == 14


def test_calendar_days_roll_forward_to_next_working_day() -> None:
    # 2026-09-26 + 5 days = 2026-10-01 (National Day, off until 10-07) → next working day 2026-10-08
    assert CAL.add_calendar_days(date(2026, 9, 26), 5) == date(2026, 10, 8)
    assert CAL.add_calendar_days(date(2026, 9, 26), 5, roll_forward=False) == date(2026, 10, 1)
    assert CAL.add_calendar_days(date(2026, 3, 2), 3) == date(2026, 3, 5)


def test_out_of_range_and_bad_counts_raise() -> None:
    with pytest.raises(CalendarRangeError):
        CAL.add_workdays(date(1969, 12, 31), 1)
    with pytest.raises(CalendarRangeError):
        CAL.add_workdays_many(np.array(["1969-12-31", "2026-01-01"], dtype="datetime64[D]"), np.array([1, 1]))
    with pytest.raises(CalendarRangeError):
        CAL.add_workdays_many(np.array(["NaT"], dtype="datetime64[D]"), np.array([1]))
    with pytest.raises(CalendarRangeError):
        CAL.add_workdays_many(np.array(["2129-12-30"], dtype="datetime64[D]"), np.array([5]))
    with pytest.raises(CalendarRangeError):
        CAL.add_workdays(date(2026, 1, 1), -1)
    with pytest.raises(CalendarRangeError):
        CAL.add_workdays(date(2129, 12, 1), 100)
    with pytest.raises(CalendarRangeError):
        CAL.add_workdays_many(np.array(["2026-01-01"], dtype="datetime64[D]"), np.array([-2]))
    assert CAL.add_workdays_many(np.array([], dtype="datetime64[D]"), np.array([], dtype=int)).size == 0
    # a calendar over another span still answers in dates
    short = WorkCalendar({}, {}, [], first=date(2020, 1, 1), last=date(2030, 12, 31))
    got = short.add_workdays_many(
        np.array(["2026-03-06", "2026-03-06"], dtype="datetime64[D]"), np.array([1, 0])
    )
    assert [d.item() for d in got] == [date(2026, 3, 9), date(2026, 3, 6)]


def test_a_date_cannot_be_both_holiday_and_workday() -> None:
    with pytest.raises(ValueError, match="both"):
        WorkCalendar({date(2026, 1, 1): ""}, {date(2026, 1, 1): ""}, [2026])
