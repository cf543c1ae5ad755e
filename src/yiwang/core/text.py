"""Small wordings shared by every page and document."""

from __future__ import annotations

from django.utils.translation import gettext as _


def time_limit(days: int | None) -> str:
    """A time limit as a person reads it: 即办 for an instant item (0 days), never "0 working days"."""
    if not days:
        return _("On the spot")
    return _("%(n)s working days") % {"n": days}


def seal_placeholder() -> str:
    """Printed in the seal's place on a document whose office has no electronic seal configured."""
    return _("(seal)")


def remedies(body: str, court: str) -> str:
    """The remedies a refusal names (行政复议法 Art. 20: 60 days; 行政诉讼法 Art. 46: 6 months)."""
    return _(
        "If you disagree with this decision, you may apply to %(body)s for administrative reconsideration within "
        "60 days of receiving it, or bring an administrative lawsuit before %(court)s within 6 months of "
        "receiving it."
    ) % {"body": body, "court": court}
