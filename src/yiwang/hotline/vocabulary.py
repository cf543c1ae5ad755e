"""The hotline's words and its configurable numbers (settings.HOTLINE; docs/rules.md §6). No I/O."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import pgettext_lazy

TICKET_TYPES: dict[str, Any] = {
    "consultation": pgettext_lazy("hotline type", "Consultation"),
    "help": pgettext_lazy("hotline type", "Request for help"),
    "complaint": pgettext_lazy("hotline type", "Complaint"),
    "report": pgettext_lazy("hotline type", "Report"),
    "suggestion": pgettext_lazy("hotline type", "Suggestion"),
    "praise": pgettext_lazy("hotline type", "Praise"),
}
URGENCIES: dict[str, Any] = {
    "normal": pgettext_lazy("hotline urgency", "Normal"),
    "urgent": pgettext_lazy("hotline urgency", "Urgent"),
}
RATINGS: dict[str, Any] = {
    "satisfied": pgettext_lazy("hotline rating", "Satisfied"),
    "basic": pgettext_lazy("hotline rating", "Basically satisfied"),
    "unsatisfied": pgettext_lazy("hotline rating", "Unsatisfied"),
}

DEFAULTS: dict[str, Any] = {
    "centre_office": "LG12345",
    "limits": {"consultation": 3, "help": 3, "complaint": 13, "report": 13, "suggestion": 13, "praise": 3},
    "urgent": "same_day",
    "urgent_min_hours": 2,
    "due_soon_days": 1,
    "due_soon_hours": 2,
    "return_window_days": 1,
    "callback_days": 1,
    "reopen_max": 1,
    "extension_max_days": 10,
    "duplicate_days": 7,
    "duplicate_metres": 300,
}


def config(name: str) -> Any:
    """One hotline setting (settings.HOTLINE over the defaults)."""
    value = getattr(settings, "HOTLINE", {}).get(name, DEFAULTS[name])
    if name == "limits":
        return {**DEFAULTS["limits"], **value}
    return value


def type_label(code: str) -> str:
    return str(TICKET_TYPES.get(code, code))


def rating_label(code: str) -> str:
    return str(RATINGS.get(code, code))


def urgency_label(code: str) -> str:
    return str(URGENCIES.get(code, code))
