"""Forms of the working-day pages. Dates, numbers of days and years are parsed by ``inputs`` (as the API
and the command line parse them), so a page names the field and the problem in the same words."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from yiwang.core.errors import ServiceError
from yiwang.core.forms import QueryForm

from .inputs import parse_date, parse_days, parse_year

if TYPE_CHECKING:
    from collections.abc import Callable

# The manage page's two forms, told apart by their hidden ``action`` (``core.forms.WhichForm``).
MANAGE_ACTIONS = ("import", "publish")
MAX_IMPORT_BYTES = 1_000_000  # a year's entries are a few kilobytes


def _parsed(parse: Callable[[Any, str], Any], value: Any, field: str) -> Any:
    """``parse(value, field)``, its refusal (already naming the field) as the field's error."""
    try:
        return parse(value, field)
    except ServiceError as exc:
        raise ValidationError(str(exc.fields.get(field) or exc.message)) from None


class CalculatorQueryForm(QueryForm):
    """The deadline calculator: the N-th working day after ``start``, and the working days from ``start``
    up to ``end``. Once anything is asked, ``start`` is required, and ``days`` too unless only ``end`` is
    given. Values are taken as typed (not stripped: " 5" is not a whole number, as in the API), and only
    the parsers of ``inputs`` judge them, so every message names its field."""

    start = forms.Field(required=False)
    days = forms.Field(required=False)
    end = forms.Field(required=False)

    PARSERS: dict[str, Callable[[Any, str], Any]] = {
        "start": parse_date,
        "days": parse_days,
        "end": parse_date,
    }

    def typed(self) -> dict[str, str]:
        """What was typed, to show it again in the fields."""
        return {name: str(self[name].value() or "") for name in self.fields}

    def clean(self) -> dict[str, Any]:
        raw = self.typed()
        wanted = {"start": True, "days": bool(raw["days"]) or not raw["end"], "end": bool(raw["end"])}
        if not any(raw.values()):
            wanted = dict.fromkeys(wanted, False)
        out: dict[str, Any] = dict.fromkeys(raw)
        for name, parse in self.PARSERS.items():
            if wanted[name]:
                try:
                    out[name] = _parsed(parse, raw[name], name)
                except ValidationError as exc:
                    self.add_error(name, exc)
                    out.pop(name)
        return out


def _year(value: Any) -> int:
    return int(_parsed(parse_year, value, "year"))


class ManageQueryForm(QueryForm):
    """The manage page's query string: the year shown (an invalid one shows next year)."""

    year = forms.Field(required=False)

    def clean_year(self) -> int | None:
        value = self.cleaned_data["year"]
        return _year(value) if value else None


class CalendarImportForm(forms.Form):
    """Import a CSV file of ``date,kind,name`` rows; ``file`` is its text once decoded."""

    file = forms.FileField(label=_("CSV file"), error_messages={"required": _("Choose a CSV file.")})
    replace = forms.BooleanField(required=False, label=_("Replace all entries of these years"))
    source = forms.CharField(
        required=False, max_length=200, label=_("Source (e.g. the State Council notice)")
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(_("The file is larger than %(n)d kB.") % {"n": MAX_IMPORT_BYTES // 1000})
        try:
            return str(upload.read().decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise ValidationError(_("The file must be UTF-8 text.")) from None


class PublishYearForm(forms.Form):
    """Publish a year (its entries become final)."""

    # Judged by the year's parser alone, whose messages name the field ("Year: …"); a missing year is
    # "not a whole number", as before.
    year = forms.Field(required=False)
    source = forms.CharField(
        required=False, max_length=200, label=_("Source (e.g. the State Council notice)")
    )

    def clean_year(self) -> int:
        return _year(self.cleaned_data["year"] or "")
