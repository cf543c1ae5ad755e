from __future__ import annotations

from django import template

from yiwang.core.masking import mask_id, mask_mobile
from yiwang.core.text import time_limit as time_limit_text

register = template.Library()


@register.filter
def masked_id(value: str) -> str:
    return mask_id(value)


@register.filter
def masked_mobile(value: str) -> str:
    return mask_mobile(value)


@register.filter
def time_limit(days: int | None) -> str:
    """``{{ item.committed_limit_days|time_limit }}``: 即办 for 0, else "N 个工作日"."""
    return time_limit_text(days)


@register.simple_tag(takes_context=True)
def lang_name(context: template.Context, zh: str, en: str) -> str:
    """Pick the Chinese or English form of a data value (names stored in both languages)."""
    lang = str(context.get("LANGUAGE_CODE", "zh-hans"))
    return en if lang.startswith("en") and en else zh
