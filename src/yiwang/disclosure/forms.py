"""Forms of the disclosure pages: each parses and bounds what its page or action reads; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yiwang.core.forms import DayField, FlagField, QueryForm

from .proactive import InterpretationInput, ItemInput, NormativeInput
from .selectors import NormativeQuery, PublicationQuery
from .services import ReplyInput, RequestInput
from .vocabulary import (
    APPLICANT_TYPES,
    COLUMNS,
    FORMS,
    INTERPRETATION_FORMS,
    NORMATIVE_STATUSES,
    NOT_DISCLOSED_GROUNDS,
    PUBLICATION_KINDS,
    REPLY_TYPES,
)

VERSION_MAX = 2**31 - 1


# --- portal -------------------------------------------------------------------------------------------


class RequestForm(forms.Form):
    """A request for government information filed online (政府信息公开申请表)."""

    applicant_type = forms.ChoiceField(choices=list(APPLICANT_TYPES.items()), label=_("Applicant type"))
    applicant_name = forms.CharField(max_length=120, label=_("Name of the applicant"))
    id_number = forms.CharField(max_length=24, label=_("ID number or unified social credit code"))
    phone = forms.CharField(required=False, max_length=20, label=_("Telephone"))
    email = forms.EmailField(required=False, max_length=254, label=_("E-mail"))
    address = forms.CharField(required=False, max_length=200, label=_("Postal address"))
    office = forms.CharField(max_length=24, label=_("Office asked"))
    description = forms.CharField(
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Description of the information asked for"),
    )
    purpose = forms.CharField(required=False, max_length=300, label=_("Purpose (optional)"))
    form = forms.ChoiceField(choices=list(FORMS.items()), initial="electronic", label=_("Preferred form"))

    def request_input(self) -> RequestInput:
        d = self.cleaned_data
        return RequestInput(
            applicant_type=d["applicant_type"],
            applicant_name=d["applicant_name"],
            id_number=d["id_number"],
            phone=d["phone"],
            email=d["email"],
            address=d["address"],
            description=d["description"],
            form=d["form"],
            purpose=d["purpose"],
            office=d["office"],
        )


class TrackQueryForm(QueryForm):
    number = forms.CharField(required=False, max_length=40, initial="", label=_("Request number"))
    last4 = forms.CharField(
        required=False, max_length=4, initial="", label=_("Last 4 digits of the telephone")
    )
    filed = FlagField()


class PublicationQueryForm(QueryForm):
    """The 双公示 search: the API's filters, a page and a download format."""

    name = forms.CharField(required=False, max_length=120, initial="", label=_("Name of the party"))
    credit_code = forms.CharField(required=False, max_length=18, initial="", label=_("Credit code"))
    office = forms.CharField(required=False, max_length=24, initial="", label=_("Office code"))
    kind = forms.ChoiceField(
        required=False, initial="", choices=[("", "—"), *PUBLICATION_KINDS.items()], label=_("Kind")
    )
    date_from = DayField(required=False, label=_("Decided from"))
    date_to = DayField(required=False, label=_("Decided until"))
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000, initial=1)
    format = forms.ChoiceField(
        required=False, initial="", choices=[("", ""), ("csv", "csv"), ("xlsx", "xlsx")]
    )

    def query(self) -> PublicationQuery:
        v = self.values()
        return PublicationQuery(
            name=str(v["name"] or ""),
            credit_code=str(v["credit_code"] or ""),
            office=str(v["office"] or ""),
            kind=str(v["kind"] or ""),
            date_from=v["date_from"],
            date_to=v["date_to"],
        )


# --- workbench ------------------------------------------------------------------------------------------


class FiguresQueryForm(QueryForm):
    year = forms.IntegerField(required=False, min_value=2000, max_value=2100, label=_("Year"))


class ConfirmForm(forms.Form):
    on = DayField(required=False, label=_("Confirmed on"))


class CorrectionForm(forms.Form):
    what = forms.CharField(
        max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), label=_("What to correct")
    )
    days = forms.IntegerField(required=False, min_value=1, max_value=60, label=_("Working days to correct"))


class CorrectForm(forms.Form):
    text = forms.CharField(
        max_length=4000, widget=forms.Textarea(attrs={"rows": 3}), label=_("The corrected request")
    )


class ThirdPartyForm(forms.Form):
    name = forms.CharField(max_length=120, label=_("Third party"))
    phone = forms.CharField(required=False, max_length=20, label=_("Telephone"))


class OpinionForm(forms.Form):
    opinion = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("The third party's opinion"),
    )


class ExtensionForm(forms.Form):
    days = forms.IntegerField(min_value=1, max_value=365, label=_("Working days"))
    reason = forms.CharField(max_length=300, label=_("Reason"))


class DecisionForm(forms.Form):
    """The head's decision on an extension or a reply: approve, or refuse / return with a reason."""

    approve = forms.TypedChoiceField(
        choices=[
            ("1", pgettext_lazy("disclosure decision", "Approve")),
            ("0", pgettext_lazy("disclosure decision", "Refuse")),
        ],
        coerce=lambda v: v == "1",
        label=_("Decision"),
    )
    reason = forms.CharField(required=False, max_length=300, label=_("Reason"))


class ReplyDecisionForm(DecisionForm):
    """The head's decision on a partial or non-disclosure reply: approve it, or return it for changes."""

    approve = forms.TypedChoiceField(
        choices=[("1", _("Approve the reply")), ("0", _("Return it for changes"))],
        coerce=lambda v: v == "1",
        label=_("Decision"),
    )


class FeeNoticeForm(forms.Form):
    month = forms.RegexField(
        required=False, regex=r"^\d{4}-\d{2}$", max_length=7, label=_("Month of receipt (YYYY-MM)")
    )


class FeePaidForm(forms.Form):
    paid_on = DayField(required=False, label=_("Paid on"))


class ReplyForm(forms.Form):
    """A reply of one of the Art. 36 types; the content fields a type requires are checked by the service."""

    type = forms.ChoiceField(choices=[(k, t.label) for k, t in REPLY_TYPES.items()], label=_("Reply type"))
    where = forms.CharField(required=False, max_length=1000, label=_("Where it was made public"))
    how = forms.CharField(required=False, max_length=1000, label=_("What is provided, or when and how"))
    withheld = forms.CharField(required=False, max_length=1000, label=_("What was withheld"))
    ground = forms.ChoiceField(
        required=False,
        choices=[("", "—"), *((k, v[0]) for k, v in NOT_DISCLOSED_GROUNDS.items())],
        label=_("Legal ground"),
    )
    earlier = forms.CharField(required=False, max_length=40, label=_("The earlier request's number"))
    right_office = forms.CharField(required=False, max_length=200, label=_("The office responsible"))
    version = forms.IntegerField(required=False, min_value=1, max_value=VERSION_MAX, widget=forms.HiddenInput)

    CONTENT = ("where", "how", "withheld", "ground", "earlier", "right_office")

    def reply_input(self) -> ReplyInput:
        d: dict[str, Any] = self.cleaned_data
        return ReplyInput(d["type"], {k: d[k] for k in self.CONTENT if d.get(k)})


class WithdrawForm(forms.Form):
    reason = forms.CharField(required=False, max_length=300, label=_("Reason"))


# --- proactive disclosure, normative documents, interpretations -----------------------------------------


class ItemQueryForm(QueryForm):
    """The public columns: a group or a column, words of the title, a page."""

    group = forms.ChoiceField(
        required=False, initial="", choices=[("", ""), ("five", "five"), ("key", "key")]
    )
    column = forms.ChoiceField(required=False, initial="", choices=[("", "—"), *COLUMNS.items()])
    text = forms.CharField(required=False, max_length=100, initial="", label=_("Words of the title"))
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000, initial=1)


class ItemForm(forms.Form):
    """An item of proactive disclosure, new or changed."""

    column = forms.ChoiceField(choices=list(COLUMNS.items()), label=pgettext_lazy("disclosure", "Column"))
    title = forms.CharField(max_length=200, label=_("Title"))
    body = forms.CharField(
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        label=pgettext_lazy("document body", "Text"),
        help_text=_("Paragraphs, lists, tables and links; anything else is removed."),
    )
    formed_on = DayField(required=False, label=_("Formed or changed on"))
    attachment = forms.FileField(required=False, label=_("Attachment"))
    publish = FlagField(label=_("Publish now"), widget=forms.CheckboxInput)

    def item_input(self) -> ItemInput:
        d = self.cleaned_data
        return ItemInput(
            column=d["column"],
            title=d["title"],
            body=d["body"],
            formed_on=d["formed_on"],
            publish=d["publish"],
            attachment=d["attachment"],
        )


class ItemWithdrawForm(forms.Form):
    reason = forms.CharField(max_length=200, label=_("Reason"))


class NormativeQueryForm(QueryForm):
    text = forms.CharField(required=False, max_length=100, initial="", label=_("Title or number"))
    office = forms.CharField(required=False, max_length=24, initial="", label=_("Office code"))
    year = forms.IntegerField(required=False, min_value=1949, max_value=2100, label=_("Year"))
    status = forms.ChoiceField(
        required=False, initial="", choices=[("", "—"), *NORMATIVE_STATUSES.items()], label=_("Status")
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000, initial=1)

    def query(self) -> NormativeQuery:
        v = self.values()
        return NormativeQuery(
            text=str(v["text"] or ""),
            office=str(v["office"] or ""),
            year=v["year"],
            status=str(v["status"] or ""),
        )


class NormativeForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("Title"))
    body = forms.CharField(
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        label=pgettext_lazy("document body", "Text"),
    )
    issued_on = DayField(label=_("Issued on"))
    effective_on = DayField(required=False, label=_("In force from"))
    expires_on = DayField(required=False, label=_("Valid until"))

    def normative_input(self) -> NormativeInput:
        d = self.cleaned_data
        return NormativeInput(
            title=d["title"],
            body=d["body"],
            issued_on=d["issued_on"],
            effective_on=d["effective_on"],
            expires_on=d["expires_on"],
        )


class NormativeStatusForm(forms.Form):
    document = forms.IntegerField(min_value=1, max_value=VERSION_MAX, label=_("Register id"))
    status = forms.ChoiceField(choices=list(NORMATIVE_STATUSES.items()), label=_("Status"))
    on = DayField(required=False, label=pgettext_lazy("normative status", "Since"))
    note = forms.CharField(required=False, max_length=300, label=_("What amended or repealed it"))


class InterpretationForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("Title"))
    form = forms.ChoiceField(
        choices=list(INTERPRETATION_FORMS.items()), label=pgettext_lazy("interpretation", "Form")
    )
    body = forms.CharField(
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        label=pgettext_lazy("document body", "Text"),
    )
    link = forms.URLField(required=False, max_length=300, assume_scheme="https", label=_("Link"))
    document = forms.IntegerField(
        required=False, min_value=1, max_value=VERSION_MAX, label=_("Normative document (its register id)")
    )
    policy_title = forms.CharField(required=False, max_length=200, label=_("Or the policy interpreted"))
    published_on = DayField(required=False, label=_("Published on"))

    def interpretation_input(self) -> InterpretationInput:
        d = self.cleaned_data
        return InterpretationInput(
            title=d["title"],
            form=d["form"],
            body=d["body"],
            link=d["link"],
            document_id=d["document"],
            policy_title=d["policy_title"],
            published_on=d["published_on"],
        )
