"""Parsing of user input (query strings, forms, command arguments) into clear, translated errors.

Every error names the field in the reader's language and is raised as ``ServiceError`` so the
API answers 400 in the standard format and pages show it next to the field.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yiwang.core.errors import ServiceError

from .engine import MAX_DAYS

FIRST_INPUT = date(1990, 1, 1)
LAST_INPUT = date(2099, 12, 31)

FIELD_LABELS = {
    "start": gettext_lazy("Start date"),
    "end": gettext_lazy("End date"),
    "date": gettext_lazy("Date"),
    "days": gettext_lazy("Number of working days"),
    "year": gettext_lazy("Year"),
}


class InputError(ServiceError):
    """A value that does not match the documented format (not a date, not a whole number): 400."""

    status = 400


class RangeError(ServiceError):
    """A well-formed value outside its documented range (a date outside the supported years, a negative
    number of days): 422, as for every bounded number of the API (``yiwang.web.api``)."""

    status = 422


DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
INT_RE = re.compile(r"-?[0-9]+")


def _whole(raw: str) -> int:
    """``raw`` (matched by ``INT_RE``) as a number. One with more than 18 digits is far outside every bound
    here, and Python refuses to convert more than 4,300 digits: it counts as ±10¹⁹."""
    if len(raw.lstrip("-").lstrip("0")) > 18:
        return -(10**19) if raw.startswith("-") else 10**19
    return int(raw, 10)


def _fail(field: str, problem: str, error: type[ServiceError] = InputError) -> ServiceError:
    label = str(FIELD_LABELS.get(field, field))
    text = _("%(field)s: %(problem)s") % {"field": label, "problem": problem}
    return error(text, fields={field: text})


def parse_date(value: Any, field: str) -> date:
    raw = "" if value is None else str(value)
    if not raw:
        raise _fail(field, _("this field is required."))
    try:
        if not DATE_RE.fullmatch(raw):
            raise ValueError(raw)
        d = date.fromisoformat(raw)
    except ValueError:
        raise _fail(field, _("enter a valid date as YYYY-MM-DD.")) from None
    if not FIRST_INPUT <= d <= LAST_INPUT:
        raise _fail(
            field,
            _("must be between %(first)s and %(last)s.")
            % {"first": FIRST_INPUT.isoformat(), "last": LAST_INPUT.isoformat()},
            RangeError,
        )
    return d


def parse_days(value: Any, field: str = "days") -> int:
    raw = "" if value is None else str(value)
    if not raw:
        raise _fail(field, _("this field is required."))
    if not INT_RE.fullmatch(raw):
        raise _fail(field, _("enter a whole number."))
    n = _whole(raw)
    if n < 0:
        raise _fail(field, _("cannot be negative."), RangeError)
    if n > MAX_DAYS:
        raise _fail(field, _("must be at most %(max)d.") % {"max": MAX_DAYS}, RangeError)
    return n


def parse_year(value: Any, field: str = "year") -> int:
    raw = str(value)
    if not INT_RE.fullmatch(raw):
        raise _fail(field, _("enter a whole number."))
    y = _whole(raw)
    if not FIRST_INPUT.year <= y <= LAST_INPUT.year:
        raise _fail(
            field,
            _("must be between %(first)s and %(last)s.")
            % {"first": FIRST_INPUT.year, "last": LAST_INPUT.year},
            RangeError,
        )
    return y
