from __future__ import annotations

from typing import Any

from django import template

from yiwang.rules.evaluate import fmt

register = template.Library()


@register.filter
def fact_value(value: Any) -> str:
    return fmt(value)


@register.filter
def state_css(state: str) -> str:
    return {"met": "ok", "not_met": "bad", "unknown": "warn", "eligible": "ok", "not_eligible": "bad"}.get(
        state, ""
    )
