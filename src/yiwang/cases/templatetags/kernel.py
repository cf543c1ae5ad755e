"""``{% event_label case.kind event.action %}``: a history line's label in its kind's vocabulary."""

from __future__ import annotations

from django import template

from yiwang.cases import workflow

register = template.Library()


@register.simple_tag
def event_label(kind: str, action: str) -> str:
    return workflow.event_label(kind, action)
