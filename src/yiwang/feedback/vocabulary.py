"""The words of 好差评 (docs/rules.md §5): the five levels, the tags, the channels; the settings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

LEVELS: dict[int, Any] = {
    5: pgettext_lazy("review level", "Very satisfied"),
    4: pgettext_lazy("review level", "Satisfied"),
    3: pgettext_lazy("review level", "Basically satisfied"),
    2: pgettext_lazy("review level", "Dissatisfied"),
    1: pgettext_lazy("review level", "Very dissatisfied"),
}
BAD_LEVELS = frozenset({1, 2})

# Bad-review reasons (docs/rules.md §5), each checked against the data.
LATE, CONDITIONS, MATERIALS, ATTITUDE, VISIT_AGAIN = (
    "late",
    "conditions",
    "materials",
    "attitude",
    "visit_again",
)
BAD_TAGS: dict[str, Any] = {
    LATE: _("Exceeded the time limit"),
    CONDITIONS: _("Conditions beyond the guide"),
    MATERIALS: _("Materials beyond the guide"),
    ATTITUDE: _("Attitude"),
    VISIT_AGAIN: _("Had to visit again"),
}
GOOD_TAGS: dict[str, Any] = {
    "fast": _("Fast"),
    "friendly": _("Friendly"),
    "clear": _("Clear guidance"),
    "one_visit": _("Done in one visit"),
    "online": _("Easy online"),
}
TAGS: dict[str, Any] = {**BAD_TAGS, **GOOD_TAGS}


def level_label(level: int) -> str:
    return str(LEVELS.get(level, level))


def tag_label(tag: str) -> str:
    return str(TAGS.get(tag, tag))


DEFAULTS: dict[str, Any] = {
    "post_office": "LGDCK",
    "edit_minutes": 30,
    "rectify_days": 15,
    "complaint_reply_days": 5,
    "max_wait_minutes": 30,
    "attitude_pattern": 2,
}


def config(name: str) -> Any:
    return {**DEFAULTS, **getattr(settings, "FEEDBACK", {})}[name]
