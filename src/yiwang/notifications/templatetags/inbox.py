"""``{% inbox_link %}``: the "Messages" link with its unread badge, for the portal and workbench shells
(drawn outside their cached menus: the count is the reader's own and changes with every message)."""

from __future__ import annotations

from typing import Any

from django import template

from yiwang.notifications import selectors
from yiwang.notifications.access import access_inbox

register = template.Library()


@register.inclusion_tag("notifications/_nav_link.html", takes_context=True)
def inbox_link(context: template.Context) -> dict[str, Any]:
    user = context.get("user")
    if not access_inbox(user):
        return {"show": False}
    return {"show": True, "unread": selectors.unread_count(user)}


@register.simple_tag(takes_context=True)
def inbox_unread(context: template.Context) -> int:
    """``{% inbox_unread as n %}``: the reader's unread messages (0 without an inbox)."""
    user = context.get("user")
    return selectors.unread_count(user) if access_inbox(user) else 0
