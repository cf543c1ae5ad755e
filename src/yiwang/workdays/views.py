"""Pages: the public year calendar and deadline calculator, the administrators' calendar page and
the staff clock page."""

from __future__ import annotations

import calendar as pycal
from datetime import date
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from yiwang.accounts.access import access_workbench, ensure, signed_in
from yiwang.core.errors import ServiceError
from yiwang.web.pages import require

from . import selectors, services
from .access import access_calendar_admin, access_clock
from .calendar import get_calendar
from .inputs import FIRST_INPUT, LAST_INPUT, parse_date, parse_days, parse_year
from .text import add_sentence, clock_sentence

if TYPE_CHECKING:
    from .engine import WorkCalendar

WEEKDAY_HEADERS = [
    pgettext_lazy("weekday", "Mon"),
    pgettext_lazy("weekday", "Tue"),
    pgettext_lazy("weekday", "Wed"),
    pgettext_lazy("weekday", "Thu"),
    pgettext_lazy("weekday", "Fri"),
    pgettext_lazy("weekday", "Sat"),
    pgettext_lazy("weekday", "Sun"),
]


def _months(cal: WorkCalendar, year: int) -> list[dict[str, Any]]:
    infos = {d.date: d for d in cal.year_days(year)}
    months = []
    for m in range(1, 13):
        weeks = []
        for week in pycal.Calendar(firstweekday=0).monthdatescalendar(year, m):
            weeks.append([infos[d] if d.month == m else None for d in week])
        months.append(
            {
                "month": m,
                "first": date(year, m, 1),
                "weeks": weeks,
                "holidays": sum(1 for d in infos.values() if d.date.month == m and d.kind == "holiday"),
                "makeup": sum(1 for d in infos.values() if d.date.month == m and d.kind == "makeup"),
            }
        )
    return months


@require_GET
def year_page(request: HttpRequest, year: int | None = None) -> HttpResponse:
    """Public: a year as twelve month grids, holidays and make-up working days marked."""
    if year is None:
        year = timezone.localdate().year
    if not FIRST_INPUT.year <= year <= LAST_INPUT.year:
        raise Http404
    cal = get_calendar()
    days = cal.year_days(year)
    return render(
        request,
        "workdays/year.html",
        {
            "year": year,
            "published": cal.is_published(year),
            "months": _months(cal, year),
            "special": cal.special_days(year),
            "working_days": sum(1 for d in days if d.working),
            "weekday_headers": WEEKDAY_HEADERS,
            "prev_year": year - 1 if year > FIRST_INPUT.year else None,
            "next_year": year + 1 if year < LAST_INPUT.year else None,
        },
    )


@require_GET
def calculator(request: HttpRequest) -> HttpResponse:  # noqa: C901 - two calculations, each with its own input errors
    """Public: the N-th working day after a date, and the working days between two dates, explained."""
    values = {k: request.GET.get(k, "") for k in ("start", "days", "end")}
    errors: dict[str, str] = {}
    result: dict[str, Any] | None = None
    between: int | None = None
    if values["start"] or values["days"] or values["end"]:
        cal = get_calendar()
        try:
            start = parse_date(values["start"], "start")
        except ServiceError as exc:
            errors.update(exc.as_dict()["fields"])
            start = None
        if values["days"] or not values["end"]:
            try:
                n = parse_days(values["days"], "days")
            except ServiceError as exc:
                errors.update(exc.as_dict()["fields"])
            else:
                if start is not None:
                    e = cal.explain(start, n)
                    data = e.to_dict()
                    result = {"e": e, "sentence": add_sentence(data)}
        if values["end"]:
            try:
                end = parse_date(values["end"], "end")
            except ServiceError as exc:
                errors.update(exc.as_dict()["fields"])
            else:
                if start is not None:
                    between = cal.workdays_between(start, end)
    return render(
        request,
        "workdays/calculator.html",
        {"values": values, "errors": errors, "result": result, "between": between},
        status=400 if errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
@require(access_calendar_admin, action="workdays.manage")
def manage(request: HttpRequest) -> HttpResponse:
    """Administrators: the bureau's calendar entries, published years, import and publication."""
    today = timezone.localdate()
    message = ""
    problems: list[tuple[int, str]] = []
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "import":
                upload = request.FILES.get("file")
                if upload is None:
                    raise ServiceError(fields={"file": _("Choose a CSV file.")})
                try:
                    text = upload.read().decode("utf-8-sig")
                except UnicodeDecodeError:
                    raise ServiceError(fields={"file": _("The file must be UTF-8 text.")}) from None
                change = services.calendar_import(
                    actor=signed_in(request),
                    text=text,
                    replace=request.POST.get("replace") == "on",
                    source=request.POST.get("source", ""),
                )
                message = _("Imported %(n)d entries for %(years)s; %(k)d open clocks changed.") % {
                    "n": change.entries,
                    "years": ", ".join(map(str, change.years)),
                    "k": len(change.recomputed),
                }
            elif action == "publish":
                year = parse_year(request.POST.get("year", ""))
                change = services.calendar_publish_year(
                    actor=signed_in(request), year=year, source=request.POST.get("source", "")
                )
                message = _("%(year)d published; %(k)d open clocks changed.") % {
                    "year": year,
                    "k": len(change.recomputed),
                }
            else:
                raise ServiceError(_("Unknown action."))
        except services.CalendarImportError as exc:
            problems = exc.problems
            message = str(exc.message)
            status = 400
        except ServiceError as exc:
            body = exc.as_dict()
            message = body["message"]
            status = 400
        else:
            messages.success(request, message)
            return redirect(reverse("workdays:manage"))
    asked = request.GET.get("year", "")
    try:
        shown = parse_year(asked) if asked else today.year + 1
    except ServiceError:
        shown = today.year + 1
    cal = get_calendar()
    return render(
        request,
        "workdays/manage.html",
        {
            "warning_year": selectors.next_year_warning(today),
            "years": selectors.calendar_years(),
            "shown": shown,
            "shown_published": cal.is_published(shown),
            "entries": selectors.calendar_entries(shown),
            "package_days": cal.special_days(shown),
            "message": message,
            "problems": problems,
            "is_error": status >= 400,
        },
        status=status,
    )


@require_GET
@login_required
@require(access_workbench, action="workdays.clock")
def clock_page(request: HttpRequest, clock_id: int) -> HttpResponse:
    """Staff: one clock, how its due date was computed and its history."""
    clock = selectors.clock_get(clock_id)
    if clock is None:
        raise Http404
    ensure(access_clock(request.user, clock), user=request.user, action="clock.view", obj=clock)
    labels = selectors.pause_labels()
    e = selectors.clock_explain(clock)
    return render(
        request,
        "workdays/clock.html",
        {
            "clock": clock,
            "e": e,
            "sentence": clock_sentence(e, labels),
            "labels": labels,
            "pauses": [(p, labels.get(p.kind, p.kind)) for p in clock.pauses.all()],
            "today": timezone.localdate(),
        },
    )
