"""The platform's calendar: the ``chinesecalendar`` package (2004–2026) merged with the bureau's table.

``get_calendar()`` is cached per process and rebuilt whenever the ``CalendarVersion`` token in the
database differs from the one the cache was built from (one primary-key read per call), so every
process of every machine sees a publication at once and nothing lives only in memory.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from chinese_calendar import constants

from .engine import WorkCalendar
from .models import CalendarEntry, CalendarVersion, CalendarYear

if TYPE_CHECKING:
    from datetime import date


def gettext_noop(message: str) -> str:
    """Marks a string for extraction (like Django's) without needing settings, so the engine and
    ``package_calendar()`` import in benchmarks and scripts with no Django configured."""
    return message


PACKAGE_FIRST_YEAR = 2004
PACKAGE_LAST_YEAR = 2026

# The package names its holidays in English; these msgids give their Chinese names (po file).
HOLIDAY_NAMES = [
    gettext_noop("New Year's Day"),
    gettext_noop("Spring Festival"),
    gettext_noop("Tomb-sweeping Day"),
    gettext_noop("Labour Day"),
    gettext_noop("Dragon Boat Festival"),
    gettext_noop("National Day"),
    gettext_noop("Mid-autumn Festival"),
    gettext_noop("Anti-Fascist 70th Day"),
]

_lock = threading.Lock()
_cache: dict[str, WorkCalendar] = {}


def package_data() -> tuple[dict[date, str], dict[date, str], range]:
    """Holidays and make-up working days from ``chinesecalendar`` (``is_in_lieu`` is *not* used:
    it marks swapped rest days, not make-up working days)."""
    holidays = {d: str(name) for d, name in constants.holidays.items()}
    workdays = {d: str(name) for d, name in constants.workdays.items()}
    return holidays, workdays, range(PACKAGE_FIRST_YEAR, PACKAGE_LAST_YEAR + 1)


def current_token() -> str:
    row = CalendarVersion.objects.filter(pk=1).values_list("token", flat=True).first()
    return row or ""


def build_calendar(token: str = "") -> WorkCalendar:
    """Package data, then the bureau's entries on top (an entry replaces the package's day)."""
    holidays, workdays, years = package_data()
    published = set(years)
    for year, is_published in CalendarYear.objects.values_list("year", "published"):
        if is_published:
            published.add(year)
        else:
            published.discard(year)  # a bureau may withdraw a year, even one from the package
    for d, kind, name in CalendarEntry.objects.values_list("date", "kind", "name"):
        if kind == CalendarEntry.Kind.HOLIDAY:
            workdays.pop(d, None)
            holidays[d] = name or holidays.get(d, "")
        else:
            holidays.pop(d, None)
            workdays[d] = name or workdays.get(d, "")
    return WorkCalendar(holidays, workdays, published, version=token)


def get_calendar() -> WorkCalendar:
    """The current calendar (cached per process, rebuilt when the database says it changed)."""
    token = current_token()
    cal = _cache.get("cal")
    if cal is not None and cal.version == token:
        return cal
    with _lock:
        cal = _cache.get("cal")
        if cal is None or cal.version != token:
            cal = build_calendar(token)
            _cache["cal"] = cal
    return cal


def package_calendar() -> WorkCalendar:
    """The package's calendar alone (no database): for the CLI without a database, benches, tests."""
    cal = _cache.get("package")
    if cal is None:
        holidays, workdays, years = package_data()
        cal = WorkCalendar(holidays, workdays, years, version="package")
        _cache["package"] = cal
    return cal


# Strings of the navigation links this context adds to the shared portal and workbench includes.
NAV_STRINGS = [
    gettext_noop("Working-day calendar"),
    gettext_noop("Deadline calculator"),
    gettext_noop("Working days, holidays and make-up days"),
    gettext_noop("Holidays, make-up days and next year's publication"),
]
