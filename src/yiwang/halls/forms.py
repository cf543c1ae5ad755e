"""Forms of the halls pages: they parse and bound what a page reads from its query string or body."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yiwang.accounts.models import Hall
from yiwang.core.forms import QueryForm


class MapFilterForm(QueryForm):
    """The service map's filters. A value outside its range is ignored (the map shows every hall),
    never passed on to the distance arithmetic."""

    lat = forms.FloatField(required=False, min_value=-90, max_value=90, label=_("Latitude"))
    lng = forms.FloatField(required=False, min_value=-180, max_value=180, label=_("Longitude"))
    street = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1, label=_("Near a street"))
    item = forms.CharField(required=False, max_length=40, strip=True, label=_("Item"))
    open = forms.BooleanField(required=False, label=_("Open now"))
    kind = forms.ChoiceField(required=False, choices=[("", ""), *Hall.Kind.choices], label=_("Kind of hall"))
