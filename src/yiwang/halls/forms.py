"""Forms of the halls pages: they parse and bound what a page reads from its query string or body, so the
services receive typed values and every message names its field in the reader's language."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse_lazy
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from yiwang.accounts.models import Hall
from yiwang.core.forms import DayField, PickerField, QueryForm
from yiwang.core.validators import normal_form, normalize_mobile, validate_mobile, validate_resident_id
from yiwang.web.api import MAX_ID

from .models import BusinessCategory, HallConfig

if TYPE_CHECKING:
    from datetime import time

# The take-a-number page's two forms, told apart by their hidden ``mode`` (``core.forms.WhichForm``).
TAKE_MODES = ("checkin", "walkin")


def item_picker(*, blank: Any, required: bool = False) -> PickerField:
    """The item of the map and of a booking: a searchable picker over the options the form is given
    (``set_items``), ranked by the catalogue's search (ADR 0058)."""
    return PickerField(
        search_url=reverse_lazy("catalogue:pick"),
        blank=blank,
        required=required,
        label=_("Item"),
        html_id="item",
    )


class ItemsMixin:
    """A form whose ``item`` field is a picker over ``items`` (anything with ``code`` and ``display_name``)."""

    fields: dict[str, Any]

    def set_items(self, items: Any) -> None:
        self.fields["item"].set_options((i.code, i.display_name) for i in items)


class MapFilterForm(ItemsMixin, QueryForm):
    """The service map's filters. A value outside its range is ignored (the map shows every hall),
    never passed on to the distance arithmetic."""

    lat = forms.FloatField(required=False, min_value=-90, max_value=90, label=_("Latitude"))
    lng = forms.FloatField(required=False, min_value=-180, max_value=180, label=_("Longitude"))
    street = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID, label=_("Near a street"))
    item = item_picker(blank=_("Any item"))
    open = forms.BooleanField(required=False, label=_("Open now"))
    kind = forms.ChoiceField(required=False, choices=[("", ""), *Hall.Kind.choices], label=_("Kind of hall"))


# --- booking -------------------------------------------------------------------------------------


class BookQueryForm(ItemsMixin, QueryForm):
    """The booking page's query string: the item and the day whose free times are shown."""

    item = item_picker(blank=_("Choose an item"), required=True)
    date = DayField(required=False, label=_("Date"))


class RescheduleForm(forms.Form):
    """Move an appointment: the day and one of its free times."""

    date = DayField(label=_("Date"))
    start = forms.TimeField(
        label=_("Time"), input_formats=["%H:%M"], error_messages={"invalid": _("Enter a time as HH:MM.")}
    )


class BookForm(RescheduleForm):
    """Book a visit: the item (sent with the free time, from the item the page shows), the day and one of
    its free times. A bad item is the service's refusal, which names the hall."""

    item = forms.CharField(required=False, max_length=40, label=_("Item"))

    def set_items(self, items: Any) -> None:
        """Nothing to set: the item is checked by the service."""


# --- numbers -------------------------------------------------------------------------------------


class TakeQueryForm(QueryForm):
    """The take-a-number page's query string: the confirmation code of the appointment's QR code."""

    code = forms.CharField(required=False, max_length=12, initial="", label=_("Confirmation code"))


class CheckinForm(forms.Form):
    """Check in with the appointment's confirmation code (typed, or read from its QR code)."""

    code = forms.CharField(max_length=12, label=_("Confirmation code"))


class TakeNumberForm(forms.Form):
    """A walk-in number: the queue (its letter) and whether the green channel applies."""

    category = forms.CharField(required=False, max_length=1, label=_("Queue"))
    green = forms.BooleanField(required=False, label=_("Green channel (elderly, disabled, pregnant)"))


class KioskForm(forms.Form):
    """A number at the public kiosk page: the queue, the green channel, and who takes it — a resident ID
    number or a mobile, or nothing (anonymous)."""

    category = forms.CharField(
        max_length=1, label=_("Queue"), error_messages={"required": _("Choose a queue.")}
    )
    green = forms.BooleanField(required=False, label=_("Green channel (elderly, disabled, pregnant)"))
    who = forms.CharField(required=False, max_length=24, strip=True, label=_("ID number or mobile"))

    def clean_who(self) -> str:
        value = normal_form(self.cleaned_data.get("who") or "")
        if not value:
            return ""
        validate = validate_mobile if len(normalize_mobile(value)) == 11 else validate_resident_id
        validate(value)
        return value

    def typed(self) -> tuple[str, bool]:
        """What the walk-in typed and ticked, to show again after a refusal (at most the field's length)."""
        if not self.is_bound:
            return "", False
        return str(self.data.get("who", ""))[:24], bool(self.data.get("green"))

    def holder(self) -> dict[str, str]:
        """``id_number`` or ``mobile`` (the one given), as the kiosk service takes them."""
        value = self.cleaned_data.get("who") or ""
        if not value:
            return {}
        if len(normalize_mobile(value)) == 11:
            return {"mobile": normalize_mobile(value)}
        return {"id_number": value}


# --- the window console --------------------------------------------------------------------------


class ConsoleQueryForm(QueryForm):
    """The console's query string: the clerk's window."""

    window = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID, label=_("Window"))


class CallForm(forms.Form):
    """Call the next number, or one waiting number (from the queue's list, or typed)."""

    ticket = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID, label=_("Number"))
    number = forms.CharField(required=False, max_length=8, label=_("Number"))


class TransferForm(forms.Form):
    """Send the number being served to another queue (its letter) or to one window of the hall."""

    category = forms.CharField(required=False, max_length=1, label=_("Transfer to a queue"))
    to_window = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID, label=_("Window"))


# --- figures -------------------------------------------------------------------------------------


class FiguresRangeForm(QueryForm):
    """The figures' days (both ends counted); a missing or invalid end is the page's default."""

    start = DayField(required=False, label=_("From"))
    end = DayField(required=False, label=_("To"))


# --- set-up --------------------------------------------------------------------------------------


def _bounded(model: type[models.Model], name: str, **kwargs: Any) -> forms.IntegerField:
    """A whole-number field with the label and the bounds of the model's field (its validators, which
    include the database column's range)."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)
    lows = [v.limit_value for v in field.validators if isinstance(v, MinValueValidator)]
    highs = [v.limit_value for v in field.validators if isinstance(v, MaxValueValidator)]
    return forms.IntegerField(
        label=capfirst(str(getattr(field, "verbose_name", name))),
        min_value=max(lows) if lows else None,
        max_value=min(highs) if highs else None,
        **kwargs,
    )


class HallConfigForm(forms.Form):
    """The hall's booking and queue settings (``services.CONFIG_FIELDS``)."""

    bookable = forms.BooleanField(required=False, label=_("takes online bookings"))

    def __init__(self, *args: Any, numbers: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in numbers:
            self.fields[name] = _bounded(HallConfig, name)


class IdListField(forms.Field):
    """Several ids sent under one name (a multiple select); which rows they name is the service's check."""

    widget = forms.SelectMultiple
    default_error_messages = {"invalid": _("Choose windows of this hall.")}

    def to_python(self, value: Any) -> list[int]:
        values = value if isinstance(value, list | tuple) else ([value] if value else [])
        out = []
        for v in values:
            text = str(v)
            if not (text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID):
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            out.append(int(text))
        return out


class CategoryForm(forms.Form):
    """One queue's service time, bookings per slot and (when ``windows_sent``) the windows serving it."""

    category = forms.IntegerField(min_value=1, max_value=MAX_ID, label=_("Queue"))
    avg_service_minutes = _bounded(BusinessCategory, "avg_service_minutes")
    capacity_override = _bounded(BusinessCategory, "capacity_override", required=False)
    windows_sent = forms.BooleanField(required=False)
    windows = IdListField(required=False, label=_("windows"))


class SpecialDayForm(forms.Form):
    """A day with other hours than usual: closed, or open from … until …."""

    date = DayField(label=_("Date"))
    closed = forms.BooleanField(required=False, label=_("closed"))
    open_from = forms.TimeField(required=False, input_formats=["%H:%M"], label=_("or open from"))
    open_until = forms.TimeField(required=False, input_formats=["%H:%M"], label=_("until"))
    note = forms.CharField(required=False, max_length=120, label=_("Note"))

    def clean(self) -> dict[str, Any]:
        """Closed, or open with both ends: never both, never neither (a day saved as closed when the manager
        meant to extend its hours closed the hall to everyone who had booked)."""
        data = super().clean() or {}
        given = [n for n in ("open_from", "open_until") if data.get(n)]
        if data.get("closed") and given:
            self.add_error(
                "closed",
                _("a closed day has no opening hours: untick it, or clear “%(start)s” and “%(end)s”.")
                % {"start": self.fields["open_from"].label, "end": self.fields["open_until"].label},
            )
        elif not data.get("closed") and not self.errors:
            for name in ("open_from", "open_until"):
                if not data.get(name):
                    self.add_error(name, _("Give the opening hours of the day, or mark it closed."))
        return data

    def hours(self) -> list[list[str]]:
        """The day's opening hours as the service takes them; [] when either end is missing."""
        start: time | None = self.cleaned_data.get("open_from")
        end: time | None = self.cleaned_data.get("open_until")
        return [[f"{start:%H:%M}", f"{end:%H:%M}"]] if start and end else []
