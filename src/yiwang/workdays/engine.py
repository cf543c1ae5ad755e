"""The working-day engine: pure Python and numpy, no ORM (docs/architecture.md, layering rule 7).

Counting convention (docs/rules.md §1, docs/adr/0010-working-day-counting.md):

* a working day is Monday–Friday, minus statutory holidays, plus make-up working days (调休上班);
* a period does not include the day it starts (民法典 Art. 201): ``add_workdays(D, n)`` is the
  n-th working day *strictly after* D, whatever kind of day D itself is;
* ``workdays_between(a, b)`` counts the working days in the half-open range ``(a, b]``, so
  ``workdays_between(d, add_workdays(d, n)) == n`` for every n ≥ 1;
* entries of a year that is not *published* are ignored: that year is counted on weekends only
  and every result that reaches into it is *provisional*.

The calendar is held as a cumulative working-day index over a fixed span of days, so a deadline is
one array lookup (``wpos[cum[start] + n - 1]``), and many deadlines are one vectorised lookup.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np

# The span the index covers. Inputs outside it raise CalendarRangeError (never a wrong answer).
# It starts at the numpy epoch so a datetime64[D] value *is* its index (no conversion pass).
SPAN_FIRST = date(1970, 1, 1)
SPAN_LAST = date(2129, 12, 31)
MAX_DAYS = 5000  # the largest N the public interfaces accept (about 20 years of working days)

WORKDAY = "workday"  # Monday–Friday, working
MAKEUP = "makeup"  # Saturday or Sunday, working (调休上班)
HOLIDAY = "holiday"  # statutory holiday (any weekday), not working
WEEKEND = "weekend"  # Saturday or Sunday, resting
DAY_KINDS = (WORKDAY, MAKEUP, HOLIDAY, WEEKEND)


class CalendarRangeError(ValueError):
    """A date or count outside what the engine's index covers."""


def _as_names(values: Mapping[date, str] | Iterable[date]) -> dict[date, str]:
    if isinstance(values, Mapping):
        return {d: str(n or "") for d, n in values.items()}
    return dict.fromkeys(values, "")


@dataclass(frozen=True)
class DayInfo:
    date: date
    kind: str  # one of DAY_KINDS
    working: bool
    name: str = ""  # holiday or make-up day name
    published: bool = True


@dataclass
class Explanation:
    """How ``add_workdays(start, n)`` was computed, day by day; the totals add up to the due date."""

    start: date
    n: int
    due: date
    provisional: bool
    unpublished_years: list[int]
    calendar_days: int  # days in (start, due]
    counted: int  # working days in (start, due] == n
    regular_workdays: int
    makeup_days: list[DayInfo]  # counted weekend days
    holidays: list[DayInfo]  # skipped statutory holidays
    weekend_days: int  # skipped ordinary weekend days
    days: list[DayInfo] = field(default_factory=list)

    def to_dict(self, *, with_days: bool = True) -> dict[str, Any]:
        def day(d: DayInfo) -> dict[str, Any]:
            return {
                "date": d.date.isoformat(),
                "kind": d.kind,
                "working": d.working,
                "name": d.name,
                "published": d.published,
            }

        out = {
            "start": self.start.isoformat(),
            "start_rule": "start_day_not_counted",
            "days": self.n,
            "due": self.due.isoformat(),
            "provisional": self.provisional,
            "unpublished_years": self.unpublished_years,
            "calendar_days": self.calendar_days,
            "working_days_counted": self.counted,
            "regular_workdays": self.regular_workdays,
            "makeup_days": [day(d) for d in self.makeup_days],
            "holidays": [day(d) for d in self.holidays],
            "weekend_days": self.weekend_days,
        }
        if with_days:
            out["day_by_day"] = [day(d) for d in self.days]
        return out


class WorkCalendar:
    """An immutable working-day calendar.

    ``holidays`` and ``workdays`` map dates to names (or are plain sets of dates); ``published_years``
    are the years whose entries are final. Entries of other years are ignored (weekends only).
    """

    def __init__(
        self,
        holidays: Mapping[date, str] | Iterable[date],
        workdays: Mapping[date, str] | Iterable[date],
        published_years: Iterable[int],
        *,
        first: date = SPAN_FIRST,
        last: date = SPAN_LAST,
        version: str = "",
    ) -> None:
        self.published_years = frozenset(int(y) for y in published_years)
        self.version = version
        self.first = first
        self.last = last
        hol = {d: n for d, n in _as_names(holidays).items() if d.year in self.published_years}
        wrk = {d: n for d, n in _as_names(workdays).items() if d.year in self.published_years}
        both = set(hol) & set(wrk)
        if both:
            raise ValueError(f"dates both holiday and working day: {sorted(both)[:5]}")
        self.holidays: dict[date, str] = hol
        self.workdays: dict[date, str] = wrk
        n = (last - first).days + 1
        weekday = (np.arange(n, dtype=np.int64) + first.weekday()) % 7
        work = weekday < 5
        for d in hol:
            if first <= d <= last:
                work[(d - first).days] = False
        for d in wrk:
            if first <= d <= last:
                work[(d - first).days] = True
        self._work = work
        # cum[i]: working days in [first, first + i]; wpos[k]: day index of the (k+1)-th working day.
        self._cum = np.cumsum(work, dtype=np.int64)
        self._wpos = np.flatnonzero(work).astype(np.int64)
        self._origin = np.datetime64(first.isoformat(), "D")
        self._epoch_offset = int(self._origin.astype(np.int64))  # 0 for the default span
        self._ordinal0 = first.toordinal()

    # --- helpers -----------------------------------------------------------------------------

    def _idx(self, d: date) -> int:
        if isinstance(d, datetime):
            d = d.date()
        i = d.toordinal() - self._ordinal0
        if i < 0 or i >= len(self._work):
            raise CalendarRangeError(
                f"{d.isoformat()} is outside {self.first.isoformat()}–{self.last.isoformat()}"
            )
        return i

    def _date(self, i: int) -> date:
        return date.fromordinal(self._ordinal0 + int(i))

    @staticmethod
    def _check_n(n: int) -> int:
        if isinstance(n, bool) or int(n) != n:
            raise CalendarRangeError("the number of days must be a whole number")
        n = int(n)
        if n < 0:
            raise CalendarRangeError("the number of days cannot be negative")
        return n

    # --- single dates ------------------------------------------------------------------------

    def is_published(self, year: int) -> bool:
        return year in self.published_years

    def is_workday(self, d: date) -> bool:
        return bool(self._work[self._idx(d)])

    def day_info(self, d: date) -> DayInfo:
        working = self.is_workday(d)
        weekend = d.weekday() >= 5
        if working:
            kind = MAKEUP if weekend else WORKDAY
            name = self.workdays.get(d, "")
        else:
            kind = HOLIDAY if d in self.holidays else WEEKEND
            name = self.holidays.get(d, "")
        return DayInfo(d, kind, working, name, d.year in self.published_years)

    def add_workdays(self, start: date, n: int) -> date:
        """The n-th working day strictly after ``start`` (``start`` itself for n = 0)."""
        n = self._check_n(n)
        s = self._idx(start)
        if n == 0:
            return self._date(s)
        k = int(self._cum[s]) + n - 1
        if k >= len(self._wpos):
            raise CalendarRangeError(f"the result lies after {self.last.isoformat()}")
        return self._date(int(self._wpos[k]))

    def workdays_between(self, start: date, end: date) -> int:
        """Working days in ``(start, end]``; negative when ``end`` is before ``start``."""
        return int(self._cum[self._idx(end)] - self._cum[self._idx(start)])

    def next_workday(self, d: date) -> date:
        """``d`` when it is a working day, otherwise the first working day after it."""
        i = self._idx(d)
        if self._work[i]:
            return self._date(i)
        k = int(self._cum[i])
        if k >= len(self._wpos):
            raise CalendarRangeError(f"the result lies after {self.last.isoformat()}")
        return self._date(int(self._wpos[k]))

    def unpublished_years(self, start: date, due: date) -> list[int]:
        """Years of the counted range ``(start, due]`` that are not published."""
        if due <= start:
            return []
        first = (start + timedelta(days=1)).year
        return [y for y in range(first, due.year + 1) if y not in self.published_years]

    def is_provisional(self, start: date, due: date) -> bool:
        """Whether the range ``(start, due]`` reaches into a year that is not published."""
        return bool(self.unpublished_years(start, due))

    # --- calendar days and hours ---------------------------------------------------------------

    def add_calendar_days(self, start: date, n: int, *, roll_forward: bool = True) -> date:
        """The n-th calendar day after ``start``. With ``roll_forward`` a last day that is not a
        working day moves to the next working day (民法典 Art. 203)."""
        n = self._check_n(n)
        due = start + timedelta(days=n)
        self._idx(due)
        return self.next_workday(due) if roll_forward and n > 0 else due

    @staticmethod
    def add_hours(start: datetime, n: int) -> datetime:
        """``n`` hours after ``start`` (hour limits run around the clock)."""
        return start + timedelta(hours=WorkCalendar._check_n(n))

    # --- vectorised ------------------------------------------------------------------------

    def add_workdays_many(self, starts: np.ndarray, ns: np.ndarray) -> np.ndarray:
        """``add_workdays`` for arrays: ``starts`` as ``datetime64[D]`` (or ISO strings), ``ns`` ints.

        Returns ``datetime64[D]``. One bounds check and one index lookup for the whole batch.
        """
        s = np.asarray(starts, dtype="datetime64[D]").view(np.int64)
        if self._epoch_offset:
            s = s - self._epoch_offset
        n = np.asarray(ns, dtype=np.int64)
        if s.size == 0:
            return np.empty(s.shape, dtype="datetime64[D]")
        # one pass checks both bounds: negative offsets are huge as unsigned integers
        if s.view(np.uint64).max() >= len(self._work):
            raise CalendarRangeError("a start date is outside the calendar's span")
        nmin = n.min()
        if nmin < 0:
            raise CalendarRangeError("the number of days cannot be negative")
        k = self._cum[s]
        k += n
        k -= 1
        try:
            out = self._wpos[k]
        except IndexError:
            raise CalendarRangeError("a result lies after the calendar's span") from None
        if nmin == 0:
            out = np.where(n == 0, s, out)
        if self._epoch_offset:
            out = out + self._epoch_offset
        return out.view("datetime64[D]")

    def workdays_between_many(self, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        s = (np.asarray(starts, dtype="datetime64[D]") - self._origin).astype(np.int64)
        e = (np.asarray(ends, dtype="datetime64[D]") - self._origin).astype(np.int64)
        if min(s.min(initial=0), e.min(initial=0)) < 0 or max(s.max(initial=0), e.max(initial=0)) >= len(
            self._work
        ):
            raise CalendarRangeError("a date is outside the calendar's span")
        return self._cum[e] - self._cum[s]

    # --- explanation and display ------------------------------------------------------------

    def explain(self, start: date, n: int) -> Explanation:
        due = self.add_workdays(start, n)
        days = [self.day_info(start + timedelta(days=i)) for i in range(1, (due - start).days + 1)]
        return Explanation(
            start=start,
            n=n,
            due=due,
            provisional=self.is_provisional(start, due),
            unpublished_years=self.unpublished_years(start, due),
            calendar_days=len(days),
            counted=sum(1 for d in days if d.working),
            regular_workdays=sum(1 for d in days if d.kind == WORKDAY),
            makeup_days=[d for d in days if d.kind == MAKEUP],
            holidays=[d for d in days if d.kind == HOLIDAY],
            weekend_days=sum(1 for d in days if d.kind == WEEKEND),
            days=days,
        )

    def year_days(self, year: int) -> list[DayInfo]:
        d = date(year, 1, 1)
        out = []
        while d.year == year:
            out.append(self.day_info(d))
            d += timedelta(days=1)
        return out

    def special_days(self, year: int) -> list[DayInfo]:
        """The year's holidays and make-up working days (the days that differ from Mon–Fri)."""
        return [
            self.day_info(d)
            for d in sorted(
                [*(d for d in self.holidays if d.year == year), *(d for d in self.workdays if d.year == year)]
            )
        ]
