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
from yiwang.core.forms import WhichForm, form_refusal
from yiwang.web.pages import require

from . import forms, selectors, services
from .access import access_calendar_admin, access_clock
from .calendar import get_calendar
from .inputs import FIRST_INPUT, LAST_INPUT
from .text import add_sentence, clock_sentence

if TYPE_CHECKING:
    from collections.abc import Callable

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
def calculator(request: HttpRequest) -> HttpResponse:
    """Public: the N-th working day after a date, and the working days between two dates, explained."""
    form = forms.CalculatorQueryForm(request.GET)
    form.is_valid()
    errors = {name: " ".join(str(m) for m in msgs) for name, msgs in form.errors.items()}
    asked = form.cleaned_data
    start, n, end = asked.get("start"), asked.get("days"), asked.get("end")
    result: dict[str, Any] | None = None
    between: int | None = None
    if start is not None and (n is not None or end is not None):
        cal = get_calendar()
        if n is not None:
            e = cal.explain(start, n)
            result = {"e": e, "sentence": add_sentence(e.to_dict())}
        if end is not None:
            between = cal.workdays_between(start, end)
    return render(
        request,
        "workdays/calculator.html",
        {"values": form.typed(), "errors": errors, "result": result, "between": between},
        status=400 if errors else 200,
    )


def _import(request: HttpRequest) -> str:
    form = forms.CalendarImportForm(request.POST, request.FILES)
    if not form.is_valid():
        raise form_refusal(form)
    change = services.calendar_import(
        actor=signed_in(request),
        text=form.cleaned_data["file"],
        replace=form.cleaned_data["replace"],
        source=form.cleaned_data["source"],
    )
    return _("Imported %(n)d entries for %(years)s; %(k)d open clocks changed.") % {
        "n": change.entries,
        "years": ", ".join(map(str, change.years)),
        "k": len(change.recomputed),
    }


def _publish(request: HttpRequest) -> str:
    form = forms.PublishYearForm(request.POST)
    if not form.is_valid():
        raise form_refusal(form)
    year = form.cleaned_data["year"]
    change = services.calendar_publish_year(
        actor=signed_in(request), year=year, source=form.cleaned_data["source"]
    )
    return _("%(year)d published; %(k)d open clocks changed.") % {"year": year, "k": len(change.recomputed)}


# Each action of the manage page: done, it returns the message to show; refused, it raises ServiceError.
MANAGE_ACTIONS: dict[str, Callable[[HttpRequest], str]] = {"import": _import, "publish": _publish}


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
        action = WhichForm(request.POST, field="action", choices=MANAGE_ACTIONS).choice()
        try:
            if not action:
                raise ServiceError(_("Unknown action."))
            message = MANAGE_ACTIONS[action](request)
        except services.CalendarImportError as exc:
            problems = exc.problems
            message = str(exc.message)
            status = 400
        except ServiceError as exc:
            message = exc.as_dict()["message"]
            status = 400
        else:
            messages.success(request, message)
            return redirect(reverse("workdays:manage"))
    shown = forms.ManageQueryForm(request.GET).values()["year"] or today.year + 1
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
