"""Forms of the applications pages: each parses and bounds what its page reads."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_ID = 2**63 - 1


class ReceptionQueryForm(forms.Form):
    """The reception page's query string: who is applying and for which item (invalid values are ignored)."""

    q = forms.CharField(required=False, max_length=60, label=_("Find the applicant"))
    person = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    credit_code = forms.CharField(required=False, max_length=18, label=_("Unified social credit code"))
    item = forms.CharField(required=False, max_length=40)
    item_q = forms.CharField(required=False, max_length=60, label=_("Find an item"))

    def values(self) -> dict[str, Any]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) or "" for name in self.fields}
