"""Forms of the applications pages: each parses and bounds what its page or action reads, so the services
receive typed values and every message names its field in the reader's language."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from yiwang.accounts.models import Hall
from yiwang.core.forms import DayField, PickerField, QueryForm
from yiwang.core.validators import normalize_resident_id, validate_resident_id

from .models import AssistConsent
from .vocabulary import DELIVERY_METHODS, REFUSAL_REASONS

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from datetime import date

    from yiwang.cases.models import Case

MAX_ID = 2**63 - 1
MAX_VERSION = 2**31 - 1
CONSENT_METHODS = AssistConsent.Method.choices


class ReceptionQueryForm(QueryForm):
    """The reception page's query string: who is applying and for which item."""

    q = forms.CharField(required=False, max_length=60, initial="", label=_("Find the applicant"))
    person = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    credit_code = forms.CharField(
        required=False, max_length=18, initial="", label=_("Unified social credit code")
    )
    # The item: a searchable picker (ADR 0058) over the items the hall accepts (``set_items``); ``item_q``
    # narrows its options by name for a browser without JavaScript.
    item = PickerField(
        search_url=reverse_lazy("catalogue:pick"),
        blank=_("Choose an item"),
        required=False,
        label=_("Item"),
        html_id="item",
    )
    item_q = forms.CharField(required=False, max_length=60, initial="", label=_("Find an item"))
    ticket = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)

    def set_items(self, options: Iterable[tuple[str, str]]) -> None:
        self.fields["item"].set_options(options)  # type: ignore[attr-defined]


class ProgressQueryForm(QueryForm):
    number = forms.CharField(required=False, max_length=40, initial="", label=_("Case number"))
    last4 = forms.CharField(required=False, max_length=4, initial="", label=_("Last 4 characters"))


class ItemsQueryForm(QueryForm):
    q = forms.CharField(required=False, max_length=60, initial="", label=_("Search"))
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000, initial=1)


class InboxQueryForm(QueryForm):
    status = forms.CharField(required=False, max_length=24, initial="")
    item = forms.CharField(required=False, max_length=40, initial="")
    when = forms.ChoiceField(
        required=False, initial="", choices=[("", ""), ("overdue", "overdue"), ("due_soon", "due_soon")]
    )
    q = forms.CharField(required=False, max_length=60, initial="")
    # "": the cases waiting for the user's next step (the default view); "all": every open case in scope.
    show = forms.ChoiceField(required=False, initial="", choices=[("", ""), ("all", "all")])
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000, initial=1)


class FiguresQueryForm(QueryForm):
    year = forms.IntegerField(required=False, min_value=2000, max_value=2100)
    by = forms.ChoiceField(
        required=False,
        initial="department",
        choices=[("department", "department"), ("item", "item"), ("hall", "hall"), ("clerk", "clerk")],
    )


# --- intake --------------------------------------------------------------------------------------


def _hall_choices() -> list[tuple[str, str]]:
    return [
        (str(h.pk), h.name) for h in Hall.objects.filter(kind__in=["district", "street"]).order_by("code")
    ]


class DeliveryFields(forms.Form):
    delivery_method = forms.ChoiceField(
        label=_("How you receive the result"), choices=list(DELIVERY_METHODS.items()), required=False
    )
    return_hall = forms.TypedChoiceField(
        label=_("Hall to collect it at"), required=False, coerce=int, empty_value=None
    )
    delivery_address = forms.CharField(label=_("Postal address"), required=False, max_length=200)

    def __init__(self, *args: Any, no_visit: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["return_hall"].choices = [("", "—"), *_hall_choices()]  # type: ignore[attr-defined]
        if no_visit:
            self.fields["delivery_method"].choices = [  # type: ignore[attr-defined]
                (k, v) for k, v in DELIVERY_METHODS.items() if k != "pickup"
            ]

    def hall(self) -> Hall | None:
        pk = self.cleaned_data.get("return_hall")
        return Hall.objects.filter(pk=pk).first() if pk else None


class StartForm(DeliveryFields):
    """Start an online application: for whom, which conditions apply, how the result comes back."""

    enterprise = forms.TypedChoiceField(label=_("Apply for"), required=False, coerce=int, empty_value=None)
    condition = forms.MultipleChoiceField(label=_("Conditions that apply"), required=False)
    # The page's one-time token: a second press of "start" (a double click) opens the same draft.
    once = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        enterprises: Sequence[tuple[int, str]] = (),
        conditions: Sequence[tuple[str, str]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].choices = [("", _("Myself")), *[(str(k), v) for k, v in enterprises]]  # type: ignore[attr-defined]
        self.fields["condition"].choices = list(conditions)  # type: ignore[attr-defined]


class DraftSaveForm(DeliveryFields):
    condition = forms.MultipleChoiceField(label=_("Conditions that apply"), required=False)

    def __init__(self, *args: Any, conditions: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["condition"].choices = list(conditions)  # type: ignore[attr-defined]


class ReceiveForm(DeliveryFields):
    """Receive at the window: conditions that apply and materials the applicant brought."""

    condition = forms.MultipleChoiceField(label=_("Conditions that apply"), required=False)
    provided = forms.MultipleChoiceField(label=_("Materials provided"), required=False)

    def __init__(
        self,
        *args: Any,
        materials: Sequence[tuple[str, str]] = (),
        licences: dict[str, Sequence[tuple[int, str]]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["condition"].choices = list(materials)  # type: ignore[attr-defined]
        self.fields["provided"].choices = list(materials)  # type: ignore[attr-defined]
        # A material one of the applicant's e-licences can supply: ``licence_<code>`` picks the version.
        for code, offers in (licences or {}).items():
            self.fields[f"licence_{code}"] = forms.TypedChoiceField(
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", _("Paper or scan")), *((str(pk), label) for pk, label in offers)],
            )

    def licence_uses(self) -> dict[str, int]:
        """Material code → licence version id, for the materials to be supplied by a licence."""
        return {
            name.removeprefix("licence_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("licence_") and value
        }


# --- assisted service (帮办代办) ----------------------------------------------------------------------


class AssistQueryForm(QueryForm):
    """The assisted-service page's query string: the resident found, the item chosen."""

    person = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    item = forms.CharField(required=False, max_length=40, initial="")
    item_q = forms.CharField(required=False, max_length=60, initial="", label=_("Find an item"))


class AssistFindForm(forms.Form):
    """Find the resident by the whole resident ID number the staff member types (shown back masked)."""

    id_number = forms.CharField(label=_("Resident ID number"), max_length=30, strip=True)

    def clean_id_number(self) -> str:
        value = normalize_resident_id(self.cleaned_data["id_number"])
        try:
            validate_resident_id(value)
        except ValidationError:
            raise ValidationError(
                _("Enter the resident's whole ID number (18 characters, check character included).")
            ) from None
        return value


class AssistForm(ReceiveForm):
    """Apply on the resident's behalf: the consent (the service decides what each way of consenting needs),
    then the materials and the delivery as at a window."""

    consent_method = forms.ChoiceField(
        label=_("How the resident consented"), required=False, choices=[("", "—"), *CONSENT_METHODS]
    )
    consent_date = DayField(label=_("Consent given on"), required=False)
    consent_callback = forms.CharField(label=_("Callback record"), required=False, max_length=200)
    consent_file = forms.FileField(label=_("Consent file (PDF or image)"), required=False)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Add a note"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))


class UploadForm(forms.Form):
    material = forms.ChoiceField(label=_("Add a scan for"))
    file = forms.FileField(label=_("File"))

    def __init__(self, *args: Any, materials: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["material"].choices = list(materials)  # type: ignore[attr-defined]


class UseLicenceForm(forms.Form):
    """A material supplied by one of the applicant's licences (the version offered)."""

    material = forms.CharField(max_length=40)
    licence = forms.IntegerField(min_value=1, max_value=MAX_ID)


# --- one form per lifecycle action (see actions.py) ---------------------------------------------


class ActionForm(forms.Form):
    """The version the user saw: a stale one is refused (someone else changed the case meanwhile)."""

    expected_version = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_VERSION, widget=forms.HiddenInput
    )

    def __init__(
        self, *args: Any, case: Case | None = None, materials: Sequence[tuple[str, str]] = (), **kwargs: Any
    ) -> None:
        kwargs.setdefault("prefix", None)
        super().__init__(*args, **kwargs)
        self.case = case
        self.materials = list(materials)


class PromiseFields(ActionForm):
    """The 容缺 promise: the date the missing materials will be supplied by, defaulting to the longest the
    item allows (``limit`` working days, reaching ``default``), and the applicant's signature."""

    promise_by = DayField(label=_("Materials promised by"), required=False)
    promise_signed = forms.BooleanField(label=_("The applicant signed the promise"), required=False)

    def __init__(
        self, *args: Any, limit: int = 0, default: date | None = None, signed: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["promise_by"]
        field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        if default is not None:
            field.initial = default
            field.widget.attrs["max"] = default.isoformat()
            field.help_text = _(
                "At most %(n)s working days, counted with the working-day calendar: by %(date)s at the latest."
            ) % {"n": limit, "date": default.isoformat()}
        if signed:
            self.fields["promise_signed"].initial = True


class AcceptRongqueForm(PromiseFields):
    pass


class SubmitForm(PromiseFields):
    """Online submission; with 容缺-allowed materials left out, the applicant signs the promise here."""

    promise_signed = forms.BooleanField(
        label=_("I promise to supply the missing materials by this date (容缺)"), required=False
    )


class CorrectionForm(ActionForm):
    correct = forms.MultipleChoiceField(
        label=_("Everything to correct, all at once"), required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label=_("Other remarks"), required=False, max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["correct"].choices = self.materials  # type: ignore[attr-defined]
        for code, name in self.materials:
            self.fields[f"problem_{code}"] = forms.CharField(
                label=_("What is wrong: %(name)s") % {"name": name}, required=False, max_length=300
            )

    def items(self) -> dict[str, str]:
        return {
            code: self.cleaned_data.get(f"problem_{code}") or ""
            for code in self.cleaned_data.get("correct", [])
        }


class RefusalForm(ActionForm):
    reason_code = forms.ChoiceField(label=_("Reason"), choices=list(REFUSAL_REASONS.items()))
    reason = forms.CharField(
        label=_("Explanation"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    guidance = forms.CharField(
        label=_("Guidance for the applicant"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(ActionForm):
    reason = forms.CharField(label=_("Reason"), max_length=2000)


class OptionalReasonForm(ActionForm):
    reason = forms.CharField(label=_("Reason"), max_length=2000, required=False)


class NoteActionForm(ActionForm):
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)


class SendBackForm(ActionForm):
    note = forms.CharField(label=_("Why it is sent back"), max_length=2000, required=False)


class ExtensionForm(ActionForm):
    reason = forms.CharField(label=_("Why 10 more working days are needed"), max_length=2000)


class WithdrawForm(ActionForm):
    reason = forms.CharField(label=_("Reason for withdrawing"), max_length=2000, required=False)


class SuspendForm(ActionForm):
    pause_kind = forms.ChoiceField(label=_("Pause for"))
    reason = forms.CharField(label=_("Explanation"), max_length=300)
    expected_days = forms.IntegerField(
        label=_("Expected duration (days)"), min_value=0, max_value=3650, initial=5, required=False
    )

    def __init__(self, *args: Any, pause_kinds: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pause_kind"].choices = list(pause_kinds)  # type: ignore[attr-defined]


class DeliverForm(ActionForm):
    tracking_number = forms.CharField(label=_("Tracking number"), required=False, max_length=40)
    pickup_code = forms.CharField(
        label=_("Pick-up code shown by the applicant"), required=False, max_length=8
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        app = getattr(self.case, "application", None)
        if app is None or app.delivery_method != "post":
            del self.fields["tracking_number"]
        if app is None or not app.pickup_code:
            del self.fields["pickup_code"]
        else:
            self.fields["pickup_code"].required = True
