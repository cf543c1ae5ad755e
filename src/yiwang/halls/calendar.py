"""The working-day calendar as halls see it: ``yiwang.workdays.calendar.get_calendar()`` (statutory
holidays, make-up working days and the bureau's own entries), wrapped so that a day outside the
calendar's span counts as closed instead of failing a page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from yiwang.workdays.calendar import get_calendar

if TYPE_CHECKING:
    from datetime import date


class HallCalendar:
    def __init__(self, cal: Any) -> None:
        self.cal = cal

    def is_workday(self, d: date) -> bool:
        try:
            return bool(self.cal.is_workday(d))
        except ValueError:  # CalendarRangeError: outside the calendar's span
            return False

    def is_holiday(self, d: date) -> bool:
        """A statutory holiday (as opposed to an ordinary weekend)."""
        try:
            return str(self.cal.day_info(d).kind) == "holiday"
        except ValueError:
            return True

    def add_workdays(self, start: date, n: int) -> Any:
        try:
            return self.cal.add_workdays(start, n)
        except ValueError:
            return start

    def next_workday(self, d: date) -> Any:
        """``d`` when it is a working day, otherwise the first working day after it."""
        try:
            return self.cal.next_workday(d)
        except ValueError:
            return d


def work_calendar() -> HallCalendar:
    return HallCalendar(get_calendar())
