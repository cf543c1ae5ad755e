"""Forms of the workbench pages: they parse and bound what a page reads from its query string or body."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yiwang.accounts.services import UNMASK_PURPOSES
from yiwang.core.forms import QueryForm


class PeopleQueryForm(QueryForm):
    """Find a person: part of the name, or the whole resident ID number."""

    q = forms.CharField(required=False, max_length=60, initial="", label=_("Name or full resident ID number"))


class PersonRegisterForm(forms.Form):
    """Register a person. Only bounded here: the service checks the name, the ID number's check digit and
    the mobile number (and says which is wrong) for every caller alike."""

    name = forms.CharField(required=False, max_length=60, label=_("Name"))
    # Room for spaces or hyphens typed between the digits (the service takes them out).
    id_number = forms.CharField(required=False, max_length=40, label=_("Resident ID number"))
    mobile = forms.CharField(required=False, max_length=20, label=_("Mobile"))


class RevealForm(forms.Form):
    """Why the full number is needed (the service checks it against its list and audits it)."""

    purpose = forms.ChoiceField(label=_("Purpose"), choices=list(UNMASK_PURPOSES.items()))
