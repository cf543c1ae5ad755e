"""Forms of the feedback pages: each parses and bounds what its page reads; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yiwang.core.forms import FlagField, QueryForm

from .models import Complaint, IssuedReport
from .reports import PERIODS
from .services import APPEAL_KINDS, ComplaintInput, ReviewInput
from .vocabulary import LEVELS, TAGS

MAX_ID = 2**63 - 1


class ReviewForm(forms.Form):
    level = forms.TypedChoiceField(
        choices=[(k, v) for k, v in LEVELS.items()], coerce=int, label=_("How satisfied are you?")
    )
    tags = forms.MultipleChoiceField(choices=list(TAGS.items()), required=False, label=_("Why"))
    comment = forms.CharField(
        required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3}), label=_("Comment")
    )

    def review(self) -> ReviewInput:
        d = self.cleaned_data
        return ReviewInput(level=d["level"], tags=tuple(d["tags"]), comment=d["comment"])


class LookupForm(forms.Form):
    """Which service: its kind, its reference (case number or number's code) and the code proving it."""

    service = forms.CharField(max_length=30, required=False)
    number = forms.CharField(max_length=60, required=False, label=_("Case or ticket number"))
    code = forms.CharField(max_length=64, required=False, label=pgettext_lazy("review code", "Code"))
    # "qr": reached from the QR code on a notice or ticket (the mobile channel).
    via = forms.ChoiceField(choices=[("", ""), ("qr", "qr")], required=False)


class ForwardForm(ReviewForm):
    service = forms.CharField(max_length=30, label=_("Service"))
    number = forms.CharField(max_length=60, label=_("Case or ticket number"))
    code = forms.CharField(max_length=64, label=_("Code the caller gives"))


class PadAskForm(forms.Form):
    """Which service the pad asks about: a case or ticket number, or a service and its subject."""

    number = forms.CharField(max_length=60, required=False)
    service = forms.CharField(max_length=30, required=False)
    subject = forms.IntegerField(min_value=1, max_value=MAX_ID, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("number") and not (data.get("service") and data.get("subject")):
            raise forms.ValidationError(_("Give a case or ticket number."), code="required")
        return data


class CallbackForm(forms.Form):
    version = forms.IntegerField(min_value=1, required=False)
    note = forms.CharField(
        max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), label=_("What the reviewer said")
    )


class RectifyForm(forms.Form):
    version = forms.IntegerField(min_value=1, required=False)
    findings = forms.CharField(
        max_length=4000, widget=forms.Textarea(attrs={"rows": 3}), label=_("What the office found")
    )
    actions = forms.CharField(
        max_length=4000, widget=forms.Textarea(attrs={"rows": 3}), label=_("What the office did")
    )


class AppealForm(forms.Form):
    version = forms.IntegerField(min_value=1, required=False)
    kind = forms.ChoiceField(choices=[(k, k) for k in APPEAL_KINDS], label=_("The review is"))
    reason = forms.CharField(
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Reasons of the appeal"),
        error_messages={"required": _("An appeal needs its reasons.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = [("mistaken", _("mistaken")), ("malicious", _("malicious"))]
        self.fields["kind"].choices = kinds  # type: ignore[attr-defined]


class DecideForm(forms.Form):
    version = forms.IntegerField(min_value=1, required=False)
    decision = forms.ChoiceField(
        choices=[("uphold", _("Uphold")), ("dismiss", _("Dismiss"))], label=_("Decision")
    )
    reason = forms.CharField(
        max_length=300, label=_("Reason"), error_messages={"required": _("Give a reason.")}
    )


class RateRectificationForm(forms.Form):
    rating = forms.TypedChoiceField(
        choices=[(k, v) for k, v in LEVELS.items()], coerce=int, label=_("How was it put right?")
    )
    code = forms.CharField(max_length=64, required=False)


class ComplaintForm(forms.Form):
    via = forms.ChoiceField(choices=Complaint.Via.choices, label=_("Received"))
    description = forms.CharField(
        max_length=4000, widget=forms.Textarea(attrs={"rows": 4}), label=_("Complaint")
    )
    name = forms.CharField(max_length=60, required=False, label=_("Complainant's name"))
    phone = forms.CharField(max_length=20, required=False, label=_("Telephone"))
    about_office = forms.CharField(max_length=24, required=False, label=_("Office complained about (code)"))
    about_hall = forms.CharField(max_length=24, required=False, label=_("Hall complained about (code)"))

    def complaint(self) -> ComplaintInput:
        return ComplaintInput(**self.cleaned_data)


class ReplyForm(forms.Form):
    version = forms.IntegerField(min_value=1, required=False)
    reply = forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 4}), label=_("Reply"))


class TransferForm(forms.Form):
    version = forms.IntegerField(min_value=1, required=False)
    office = forms.CharField(max_length=24, label=_("Office (code)"))
    reason = forms.CharField(max_length=300, label=_("Reason"))


class IssueForm(forms.Form):
    period = forms.ChoiceField(choices=[(p, p) for p in PERIODS])
    day = forms.DateField(label=_("A day of the period"))


IssuedReportPeriods = IssuedReport.Period.choices


class ReviewsQueryForm(QueryForm):
    bad = FlagField()


class RectificationsQueryForm(QueryForm):
    appeals = FlagField()
    status = forms.CharField(max_length=24, required=False)
