"""Forms of the credit pages: each parses and bounds what its page reads; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yiwang.core.forms import QueryForm

from .vocabulary import CATEGORIES, LISTS, SEVERITIES


class RecordQueryForm(QueryForm):
    code = forms.CharField(required=False, max_length=30, label=_("Credit code or resident ID"))
    category = forms.ChoiceField(
        required=False, choices=[("", "—"), *CATEGORIES.items()], label=_("Category")
    )
    source = forms.CharField(required=False, max_length=40, label=_("Source"))
    standing = forms.ChoiceField(required=False, choices=[("", "—"), *LISTS.items()], label=_("List"))
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000, initial=1)


class PageQueryForm(QueryForm):
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000, initial=1)


class RepairForm(forms.Form):
    record = forms.IntegerField(min_value=1, max_value=2**63 - 1, label=_("Record"))
    decision_reference = forms.CharField(max_length=80, label=_("Decision reference"))
    decided_on = forms.DateField(label=_("Decided on"))
    reason = forms.CharField(required=False, max_length=1000, widget=forms.Textarea, label=_("Reason"))


class RuleForm(forms.Form):
    code = forms.SlugField(max_length=40)
    active = forms.BooleanField(required=False, label=_("Active"))
    min_severity = forms.TypedChoiceField(
        choices=list(SEVERITIES.items()), coerce=int, label=_("Lowest severity")
    )
