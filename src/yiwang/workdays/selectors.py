"""Reads for pages, the API and other contexts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import clock as pure
from .calendar import get_calendar
from .models import CalendarEntry, CalendarYear, Clock, ClockPause
from .pausekinds import pause_kinds
from .services import clock_spec
from .text import LANGUAGES, clock_sentence

if TYPE_CHECKING:
    from datetime import date

    from django.db.models import QuerySet


def clock_get(clock_id: int) -> Clock | None:
    return (
        Clock.objects.select_related("office", "responsible")
        .prefetch_related("pauses", "extensions", "events")
        .filter(pk=clock_id)
        .first()
    )


def clocks_open(*, office: Any = None) -> QuerySet[Clock]:
    qs = Clock.objects.filter(stopped_at__isnull=True).select_related("office", "responsible")
    if office is not None:
        qs = qs.filter(office=office)
    return qs.order_by("due_at", "pk")


def clock_explain(clock: Clock, *, now: Any = None) -> dict[str, Any]:
    """A clock's current computation (due date, remaining, state and how) without writing anything."""
    return pure.compute(
        clock_spec(clock), get_calendar(), now or timezone.now(), timezone.get_default_timezone()
    ).explanation


def clock_sentences(explanation: dict[str, Any]) -> dict[str, str]:
    """The clock's explanation as a sentence in each language (pause kinds named in that language)."""
    out = {}
    for lang in LANGUAGES:
        with translation.override(lang):
            out[lang] = clock_sentence(explanation, pause_labels())
    return out


def pause_labels() -> dict[str, str]:
    labels = {k.code: k.label() for k in pause_kinds(include_inactive=True)}
    labels[ClockPause.STOP_KIND] = _("clock stopped")
    return labels


def pause_kinds_active() -> list[Any]:
    """The kinds a pause may have now (code, name, name_en, legal_basis, label())."""
    return pause_kinds()


def calendar_entries(year: int | None = None) -> QuerySet[CalendarEntry]:
    qs = CalendarEntry.objects.all()
    if year is not None:
        qs = qs.filter(date__year=year)
    return qs.order_by("date")


def calendar_years() -> QuerySet[CalendarYear]:
    return CalendarYear.objects.select_related("published_by").order_by("-year")


def next_year_warning(today: date | None = None) -> int | None:
    """From 1 November: the next year when it is not yet published, else None."""
    today = today or timezone.localdate()
    if (today.month, today.day) < (11, 1):
        return None
    nxt = today.year + 1
    return None if get_calendar().is_published(nxt) else nxt
