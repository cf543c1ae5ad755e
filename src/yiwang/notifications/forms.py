"""Forms of the inbox pages: they parse and bound what a page reads from its query string or body."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.http import url_has_allowed_host_and_scheme

from yiwang.web.api import MAX_ID

if TYPE_CHECKING:
    from django.http import HttpRequest

MAX_PAGE = 100_000


class InboxQueryForm(forms.Form):
    """The inbox's query string: the page number (an invalid one gives the first page)."""

    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)

    def page_number(self) -> int:
        return (self.cleaned_data.get("page") if self.is_valid() else None) or 1


class MarkReadForm(forms.Form):
    """Mark one message read. ``next``: the inbox page to return to without JavaScript."""

    next = forms.CharField(required=False, max_length=300)

    def next_url(self, request: HttpRequest) -> str:
        """``next`` when it is a page of this site, else ""."""
        nxt = self.cleaned_data.get("next", "") if self.is_valid() else ""
        if nxt and url_has_allowed_host_and_scheme(
            nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return str(nxt)
        return ""


class MarkAllReadForm(MarkReadForm):
    """Mark all as read. ``up_to``: the newest message the reader was shown (a message that arrived
    after the page was drawn stays unread)."""

    up_to = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)

    def values(self) -> dict[str, Any]:
        return {"up_to": self.cleaned_data.get("up_to")}
