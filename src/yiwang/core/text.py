"""Small wordings shared by every page and document."""

from __future__ import annotations

from django.utils.translation import gettext as _


def time_limit(days: int | None) -> str:
    """A time limit as a person reads it: 即办 for an instant item (0 days), never "0 working days"."""
    if not days:
        return _("On the spot")
    return _("%(n)s working days") % {"n": days}
