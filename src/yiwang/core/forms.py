"""Shared form plumbing: query-string forms of the pages."""

from __future__ import annotations

from typing import Any

from django import forms


class QueryForm(forms.Form):
    """A page's query string (filters, search, paging). Each field bounds its value; an invalid one is
    left out (the page shows its default), never passed on to a query or to arithmetic."""

    def values(self) -> dict[str, Any]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            name: data.get(name) if data.get(name) not in (None, "") else self.fields[name].initial
            for name in self.fields
        }
