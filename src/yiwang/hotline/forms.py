"""Forms of the hotline pages: each parses and bounds what its page or action reads; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yiwang.core.forms import DayField, FlagField, QueryForm

from .services import TicketInput
from .vocabulary import RATINGS, TICKET_TYPES, URGENCIES

MAX_ID = 2**63 - 1


class TicketForm(forms.Form):
    """One screen for a call (operators) or an online filing (citizens, without the operator's fields)."""

    caller_name = forms.CharField(required=False, max_length=60, label=_("Caller's name"))
    caller_phone = forms.CharField(required=False, max_length=20, label=_("Telephone"))
    anonymous = forms.BooleanField(required=False, label=_("Anonymous"))
    type = forms.ChoiceField(choices=list(TICKET_TYPES.items()), label=_("Type"))
    category = forms.CharField(max_length=40, label=_("Category"))
    urgency = forms.ChoiceField(
        choices=list(URGENCIES.items()), required=False, initial="normal", label=_("Urgency")
    )
    address = forms.CharField(required=False, max_length=200, label=_("Address"))
    street = forms.CharField(required=False, max_length=12, label=_("Street"))
    community = forms.CharField(required=False, max_length=15, label=_("Community"))
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, label=_("Latitude"))
    lng = forms.FloatField(required=False, min_value=-180, max_value=180, label=_("Longitude"))
    description = forms.CharField(max_length=2000, widget=forms.Textarea, label=_("What happened"))
    business_line = forms.BooleanField(required=False, label=_("Business-environment line"))
    merge_into = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    confirm = forms.BooleanField(required=False)

    def ticket_input(self) -> TicketInput:
        d = self.cleaned_data
        return TicketInput(
            type=d["type"],
            category=d["category"],
            description=d["description"],
            caller_name=d["caller_name"],
            caller_phone=d["caller_phone"],
            anonymous=d["anonymous"],
            urgency=d["urgency"] or "normal",
            address=d["address"],
            street=d["street"],
            community=d["community"],
            lat=d["lat"],
            lng=d["lng"],
            business_line=d["business_line"],
        )


class OnlineTicketForm(TicketForm):
    """A citizen files online: a telephone is needed to follow the ticket and to be called back."""

    caller_phone = forms.CharField(max_length=20, label=_("Telephone"))


class ActionForm(forms.Form):
    """Every action on the ticket page: which action, the version seen, and the fields actions read."""

    action = forms.CharField(max_length=30)
    version = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    office = forms.CharField(required=False, max_length=24, label=_("Office"))
    co_offices = forms.CharField(required=False, max_length=300, label=_("Co-handling offices"))
    reason = forms.CharField(required=False, max_length=2000, label=_("Reason"))
    text = forms.CharField(required=False, max_length=2000, label=_("Answer"))
    handling = forms.CharField(required=False, max_length=2000, label=_("What was done"))
    reply = forms.CharField(required=False, max_length=2000, label=_("Reply to the caller"))
    rating = forms.ChoiceField(required=False, choices=[("", ""), *RATINGS.items()], label=_("Rating"))
    days = forms.IntegerField(required=False, min_value=1, max_value=365, label=_("Days"))
    approve = forms.BooleanField(required=False)
    into = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID, label=_("Main ticket"))

    def co_codes(self) -> list[str]:
        raw = self.cleaned_data.get("co_offices") or ""
        return [c.strip() for c in raw.replace("，", ",").split(",") if c.strip()]


class FollowQueryForm(QueryForm):
    number = forms.CharField(required=False, max_length=40, initial="", label=_("Ticket number"))
    last4 = forms.CharField(
        required=False, max_length=4, initial="", label=_("Last 4 digits of the telephone")
    )
    filed = FlagField()
    rated = FlagField()


class RateForm(forms.Form):
    number = forms.CharField(max_length=40)
    last4 = forms.CharField(max_length=4)
    rating = forms.ChoiceField(choices=list(RATINGS.items()), label=_("Rating"))


class SearchQueryForm(QueryForm):
    q = forms.CharField(required=False, max_length=60, initial="")
    status = forms.CharField(required=False, max_length=24, initial="")


class FiguresQueryForm(QueryForm):
    start = DayField(required=False, label=_("From"))
    end = DayField(required=False, label=_("To"))
    per = forms.ChoiceField(
        required=False, initial="month", choices=[("day", "day"), ("week", "week"), ("month", "month")]
    )
    format = forms.ChoiceField(required=False, initial="", choices=[("", ""), ("xlsx", "xlsx")])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end is before the start."))
        return data
