"""JSON API of the working-day calendar (mounted at /api/workdays)."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router
from pydantic import WithJsonSchema

from yiwang.accounts.access import ensure
from yiwang.core.errors import NotFound
from yiwang.web.api import AUTH, ERRORS, Id

from . import selectors
from .access import access_clock
from .calendar import get_calendar
from .engine import MAX_DAYS
from .inputs import FIRST_INPUT, LAST_INPUT, parse_date, parse_days, parse_year
from .schemas import AddOut, BetweenOut, ClockOut, NextOut, YearOut
from .text import add_sentence, both_languages, clock_sentence

router = Router(tags=["working days"])
DAY_LIST_LIMIT = 731

# The documented schema says exactly what is accepted (a request that does not match it is answered
# 400); the values are parsed by ``inputs`` so every error names the field in the reader's language.
# A well-formed date outside the supported years is a rule, not a format: 422.
DateParam = Annotated[str, WithJsonSchema({"type": "string", "format": "date"})]
DaysParam = Annotated[str, WithJsonSchema({"type": "integer", "minimum": 0, "maximum": MAX_DAYS})]
YearParam = Annotated[
    str, WithJsonSchema({"type": "integer", "minimum": FIRST_INPUT.year, "maximum": LAST_INPUT.year})
]


@router.get("/add", response={200: AddOut, **ERRORS}, auth=None)
def add(request: HttpRequest, start: DateParam, days: DaysParam) -> Any:
    """The N-th working day after ``start`` (the start day is not counted), with how it was computed.

    ``provisional`` is true when the count reaches into a year whose holidays are not yet published."""
    d = parse_date(start, "start")
    n = parse_days(days, "days")
    cal = get_calendar()
    e = cal.explain(d, n)
    # the day-by-day list is given for up to two years of calendar days (it is long after that)
    explanation = e.to_dict(with_days=e.calendar_days <= DAY_LIST_LIMIT)
    explanation["day_by_day_omitted"] = e.calendar_days > DAY_LIST_LIMIT
    explanation["sentence"] = both_languages(add_sentence, explanation)
    explanation["text"] = add_sentence(explanation)
    return {"due": e.due, "provisional": e.provisional, "explanation": explanation}


@router.get("/between", response={200: BetweenOut, **ERRORS}, auth=None)
def between(request: HttpRequest, start: DateParam, end: DateParam) -> Any:
    """Working days in (start, end]: the start day is not counted, the end day is. Negative when
    ``end`` is before ``start``."""
    a = parse_date(start, "start")
    b = parse_date(end, "end")
    return {"working_days": get_calendar().workdays_between(a, b)}


@router.get("/next", response={200: NextOut, **ERRORS}, auth=None)
def next_workday(request: HttpRequest, date: DateParam) -> Any:
    """The first working day on or after ``date``."""
    d = parse_date(date, "date")
    cal = get_calendar()
    nxt = cal.next_workday(d)
    return {"date": nxt, "is_workday": nxt == d, "provisional": not cal.is_published(nxt.year)}


@router.get("/calendar/{year}", response={200: YearOut, **ERRORS}, auth=None)
def calendar_year(request: HttpRequest, year: YearParam) -> Any:
    """A year's statutory holidays and make-up working days, and whether the year is published."""
    y = parse_year(year)
    cal = get_calendar()
    days = cal.year_days(y)
    return {
        "year": y,
        "published": cal.is_published(y),
        "working_days": sum(1 for d in days if d.working),
        "special_days": [{"date": d.date, "kind": d.kind, "name": d.name} for d in cal.special_days(y)],
    }


@router.get("/clocks/{clock_id}", response={200: ClockOut, **ERRORS}, auth=AUTH)
def clock_detail(request: HttpRequest, clock_id: Id) -> Any:
    """A clock: due date, remaining, state, pauses, extensions, history and how it was computed."""
    clock = selectors.clock_get(clock_id)
    if clock is None:
        raise NotFound()
    ensure(access_clock(request.user, clock), user=request.user, action="clock.view", obj=clock)
    labels = selectors.pause_labels()
    explanation = selectors.clock_explain(clock)
    explanation["sentence"] = selectors.clock_sentences(explanation)
    explanation["text"] = clock_sentence(explanation, labels)
    return {
        "id": clock.pk,
        "label": clock.label,
        "subject": clock.subject,
        "started_at": clock.started_at,
        "limit_kind": clock.limit_kind,
        "limit_value": clock.limit_value,
        "max_extensions": clock.max_extensions,
        "office": str(clock.office) if clock.office else None,
        "responsible": (clock.responsible.full_name or clock.responsible.username)
        if clock.responsible
        else None,
        "due_date": clock.due_date,
        "due_at": clock.due_at,
        "provisional": clock.provisional,
        "state": clock.state,
        "remaining": clock.remaining,
        "stopped_at": clock.stopped_at,
        "pauses": [
            {
                "kind": p.kind,
                "label": labels.get(p.kind, p.kind),
                "started_at": p.started_at,
                "ended_at": p.ended_at,
                "reason": p.reason,
            }
            for p in clock.pauses.all()
        ],
        "extensions": [
            {
                "days": e.days,
                "reason": e.reason,
                "approved_by": e.approved_by_name,
                "created_at": e.created_at,
            }
            for e in clock.extensions.all()
        ],
        "events": [
            {
                "kind": e.kind,
                "at": e.at,
                "old_due": e.old_due,
                "new_due": e.new_due,
                "old_provisional": e.old_provisional,
                "new_provisional": e.new_provisional,
            }
            for e in clock.events.all()
        ],
        "explanation": explanation,
    }
