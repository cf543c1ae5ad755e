"""Shared form plumbing of the pages: query-string forms, the choice among a page's forms, bounded days, and
error messages that name their field in the reader's language."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import ServiceError

if TYPE_CHECKING:
    from collections.abc import Iterable

# The days a page accepts (the API's years, ``web.api.Year``): a day outside them is refused, never passed
# on to date arithmetic (``date.min - timedelta(days=1)`` overflows).
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)


class QueryForm(forms.Form):
    """A page's query string (filters, search, paging). Each field bounds its value; an invalid one is
    left out (the page shows its default), never passed on to a query or to arithmetic."""

    def values(self) -> dict[str, Any]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            name: data.get(name) if data.get(name) not in (None, "") else self.fields[name].initial
            for name in self.fields
        }


class WhichForm(forms.Form):
    """Which of a page's forms (or actions) was sent: the value of one field (``form``, ``action``,
    ``mode``) among the page's own. ``choice()`` is "" when it is missing or unknown."""

    def __init__(self, data: Any, *, field: str, choices: Iterable[str]) -> None:
        super().__init__(data)
        self.name = field
        self.fields[field] = forms.ChoiceField(choices=[(c, c) for c in choices])

    def choice(self) -> str:
        return str(self.cleaned_data[self.name]) if self.is_valid() else ""


class DayField(forms.DateField):
    """A day written YYYY-MM-DD, between ``FIRST_DAY`` and ``LAST_DAY``."""

    input_formats = ["%Y-%m-%d"]
    default_error_messages = {"invalid": gettext_lazy("Enter a valid date (YYYY-MM-DD).")}

    def __init__(self, *, first: date = FIRST_DAY, last: date = LAST_DAY, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators += [MinValueValidator(first), MaxValueValidator(last)]


class FlagField(forms.Field):
    """A query-string flag: on for "1", "true" or "on" (what a checkbox or a link sends), off for anything
    else. (A ``BooleanField`` would take any other text, "x" or "no", for on.)"""

    widget = forms.HiddenInput  # the page draws its own checkbox; the widget only reads the raw value

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("initial", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> bool:
        return value is True or str(value) in {"1", "true", "on"}


def field_errors(form: forms.Form) -> dict[str, str]:
    """Each invalid field's messages, named by the field's label in the reader's language ("日期：…")."""
    out = {}
    for name, messages in form.errors.items():
        problem = " ".join(str(m) for m in messages)
        field = form.fields.get(name)
        label = str(field.label) if field is not None and field.label else ""
        out[name] = _("%(field)s: %(problem)s") % {"field": label, "problem": problem} if label else problem
    return out


def first_error(form: forms.Form) -> str:
    """The first of ``field_errors`` (pages that show one message above the form)."""
    return next(iter(field_errors(form).values()), "")


def form_refusal(form: forms.Form) -> ServiceError:
    """A form's errors as the error a service raises, so a page shows both the same way."""
    return ServiceError(first_error(form), code="invalid", fields=field_errors(form))


class PickerSelect(forms.Select):
    """A ``<select>`` that ``core/picker.js`` turns into a searchable combobox (ADR 0058): a text input with
    ``role="combobox"`` and a listbox of the select's options, in the order a search route ranks them
    (``search_url?q=…`` answers ``{"codes": [...]}``, best first). The select stays in the form and carries
    the value, so a page re-drawn after an error shows the choice, and without JavaScript it is a plain
    select."""

    def __init__(self, *, search_url: Any, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.search_url = search_url

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update(
            {
                "data-picker": str(self.search_url),
                "data-picker-hint": _("Type a name, a code or pinyin initials"),
                "data-picker-none": _("Nothing matches."),
                "data-picker-count": _("%(n)s found") % {"n": "{n}"},
            }
        )
        return context


class PickerField(forms.ChoiceField):
    """A choice among many (the hall's items) drawn with ``PickerSelect``. The options are given by the form
    (``set_options``), with a first blank option reading ``blank``; ``html_id`` keeps the select's id
    (``<label for=…>`` in the page)."""

    def __init__(self, *, search_url: Any, blank: Any = "", html_id: str = "", **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", PickerSelect(search_url=search_url, attrs={"id": html_id} if html_id else None)
        )
        super().__init__(choices=[("", blank)], **kwargs)
        self.blank = blank

    def set_options(self, options: Iterable[tuple[str, str]]) -> None:
        self.choices = [("", self.blank), *options]
