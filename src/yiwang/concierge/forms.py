"""Forms of the concierge pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yiwang.core.forms import QueryForm

from .models import LEVELS


class ActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("note", "note"), ("coordinate", "coordinate"), ("escalate", "escalate")]
    )
    case = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    request = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    level = forms.TypedChoiceField(required=False, choices=list(LEVELS.items()), coerce=int, label=_("Level"))
    text = forms.CharField(required=False, max_length=2000, widget=forms.Textarea, label=_("Text"))


class PageQueryForm(QueryForm):
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000, initial=1)
