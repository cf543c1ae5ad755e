"""Forms of the catalogue pages: they parse and bound what a page reads from its query string."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yiwang.core.forms import FlagField, QueryForm

from .browse import AUDIENCES
from .models import ItemType, Level, Theme

if TYPE_CHECKING:
    from collections.abc import Sequence

MAX_PAGE = 100_000
MAX_VERSION = 2**31 - 1  # the column's range


def _choices(values: Sequence[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", ""), *values]


class BrowseQueryForm(QueryForm):
    """The guide pages' search and filters (the API's ``ItemFilters``, as a page reads them): a value that
    is not one of a filter's choices leaves that filter out."""

    q = forms.CharField(required=False, max_length=60, initial="", label=_("Search"))
    department = forms.CharField(required=False, max_length=20, initial="", label=_("Department"))
    theme = forms.ChoiceField(
        required=False, initial="", choices=_choices(Theme.choices), label=_("Life event or business theme")
    )
    level = forms.ChoiceField(
        required=False,
        initial="",
        choices=_choices(Level.choices),
        label=pgettext_lazy("level of exercise", "Level"),
    )
    audience = forms.ChoiceField(required=False, initial="", choices=_choices([(a, a) for a in AUDIENCES]))
    item_type = forms.ChoiceField(
        required=False, initial="", choices=_choices(ItemType.choices), label=_("Item type")
    )
    online = FlagField(label=_("Fully online only"))
    no_visit = FlagField(label=_("No visit (不见面)"))
    tongban = FlagField(label=_("District-wide 通办"))
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE, initial=1)


class VersionQueryForm(QueryForm):
    """``?version=``: an earlier published version of a guide; none (or an invalid one) is the current."""

    version = forms.IntegerField(required=False, min_value=1, max_value=MAX_VERSION, label=_("Version"))


class PickQueryForm(QueryForm):
    """The pickers' search (``pick``): Chinese words, a code, pinyin or its initials, an English name."""

    q = forms.CharField(required=False, max_length=60, initial="", label=_("Search"))
