"""Forms of the licences pages: they parse and bound what a page reads; services decide."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from yiwang.core.forms import DayField

from . import workflow as wf

if TYPE_CHECKING:
    from .models import LicenceType


class VerifyForm(forms.Form):
    """``?p=`` the compact payload of a QR code, or ``?id=`` an identifier typed in."""

    p = forms.CharField(required=False, max_length=4000, strip=True)
    id = forms.CharField(required=False, max_length=200, strip=True, label=_("Licence identifier"))

    def values(self) -> dict[str, str]:
        if not self.is_valid():
            return {
                "payload": "malformed" if self.data.get("p") else "",
                "identifier": "malformed" if self.data.get("id") else "",
            }
        return {"payload": self.cleaned_data["p"], "identifier": self.cleaned_data["id"]}


class LicenceFieldsForm(forms.Form):
    """The type's own fields (what the reviewer completes), plus the validity."""

    valid_from = DayField(required=False, label=_("Valid from"))
    valid_to = DayField(required=False, label=_("Valid until"))

    def __init__(
        self,
        data: Any = None,
        *,
        ltype: LicenceType,
        initial: dict[str, Any] | None = None,
        validity: bool = True,
    ) -> None:
        super().__init__(data, initial=initial)
        if not validity:
            del self.fields["valid_from"]
            del self.fields["valid_to"]
        for f in ltype.fields:
            self.fields[f"f_{f['key']}"] = forms.CharField(
                label=str(f.get("label", f["key"])), required=False, max_length=300, strip=True
            )
        self.ltype = ltype

    def licence_fields(self) -> dict[str, str]:
        return {str(f["key"]): self.cleaned_data.get(f"f_{f['key']}", "") for f in self.ltype.fields}


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, strip=True)


class ChangeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, strip=True)
    version = forms.IntegerField(min_value=1, max_value=999, widget=forms.HiddenInput)


class RenewForm(forms.Form):
    valid_to = DayField(required=False, label=_("New end of validity"))
    reason = forms.CharField(label=_("Reason"), max_length=300, strip=True, required=False)
    version = forms.IntegerField(min_value=1, max_value=999, widget=forms.HiddenInput)


class StatusForm(forms.Form):
    event = forms.ChoiceField(choices=[(k, e.label) for k, e in wf.EVENTS.items() if not e.new_version])
    reason = forms.CharField(label=_("Reason"), max_length=300, strip=True)
    version = forms.IntegerField(min_value=1, max_value=999, widget=forms.HiddenInput)


class ShareForm(forms.Form):
    days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=int(settings.LICENCE_SHARE_MAX_DAYS), initial=7
    )
