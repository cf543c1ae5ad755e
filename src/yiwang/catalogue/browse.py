"""Browsing the published catalogue: the search and filters shared by the guide pages and the API. (Apart
from ``selectors`` because it ranks through ``search``, which reads through ``selectors``.)"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q

from . import selectors
from .models import ItemType, Level, OnlineDepth, Theme
from .search import search_items

if TYPE_CHECKING:
    from collections.abc import Callable

# Who an item is for: a business (any of the enterprise service objects) or a person (code 1).
AUDIENCES: dict[str, Callable[[], Q]] = {
    "person": lambda: Q(service_objects__contains="1"),
    "business": selectors.enterprise_q,
}
# The on/off filters: the condition each adds when on.
FLAGS = {
    "online": Q(online_depth=OnlineDepth.IV),
    "no_visit": Q(no_visit=True),
    "tongban": Q(tongban="district"),
}


def _conditions(
    *, department: str, theme: str, level: str, audience: str, item_type: str, flags: dict[str, bool]
) -> list[tuple[str, str, Q]]:
    """(filter, value shown, condition) for each filter that applies; a value that is not one of a
    filter's choices leaves the filter out."""
    out = []
    if department:
        out.append(("department", department, Q(department__code=department)))
    if theme in Theme.values:
        out.append(("theme", theme, selectors.theme_q(theme)))
    if level in Level.values:
        out.append(("level", level, Q(**{f"level_{level}": True})))
    if audience in AUDIENCES:
        out.append(("audience", audience, AUDIENCES[audience]()))
    out += [(name, "1", FLAGS[name]) for name, on in flags.items() if on]
    if item_type in ItemType.values:
        out.append(("item_type", item_type, Q(item_type=item_type)))
    return out


def items_filtered(
    *,
    q: str | None = "",
    department: str | None = "",
    theme: str | None = "",
    level: str | None = "",
    audience: str | None = "",
    item_type: str | None = "",
    online: bool = False,
    no_visit: bool = False,
    tongban: bool = False,
) -> tuple[Any, dict[str, str]]:
    """Published items that pass the filters, ranked by ``q`` when given (else by department and code), and
    the filters that were applied (``{name: value}``, in the page's order)."""
    qs = selectors.published_items().select_related("department")
    used: dict[str, str] = {}
    for name, value, condition in _conditions(
        department=(department or "").strip(),
        theme=(theme or "").strip(),
        level=(level or "").strip(),
        audience=(audience or "").strip(),
        item_type=(item_type or "").strip(),
        flags={"online": online, "no_visit": no_visit, "tongban": tongban},
    ):
        qs = qs.filter(condition)
        used[name] = value
    text = (q or "").strip()
    if text:
        used["q"] = text
        return search_items(text, qs), used
    return qs.order_by("department__code", "code"), used
